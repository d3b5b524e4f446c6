package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two messengers in two JVMs over real UDP on 127.0.0.1: 10,000 messages, all acked, each delivered once. */
class TwoProcessUdpTest {

    @Test
    void tenThousandMessagesToAnotherProcessAreAllAckedAndDeliveredOnce() throws Exception {
        int count = 10_000;
        MessengerConfig.Builder config = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1").port(0)
                .interval(Duration.ofMillis(200));
        // Bind first so the receiver can be told our port, then learn its port and add it as the peer.
        try (ReliableMessenger probe = ReliableMessenger.builder(config.build()).build()) {
            probe.start();
            int senderPort = probe.localAddress().getPort();
            probe.close();
            Process receiver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ReceiverProcess.class.getName(),
                    Integer.toString(senderPort), Integer.toString(count))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String portLine = out.readLine();
                assertThat(portLine).startsWith("PORT ");
                int receiverPort = Integer.parseInt(portLine.substring(5).trim());
                try (ReliableMessenger sender = ReliableMessenger.builder(config.port(senderPort)
                        .peer("receiver", "127.0.0.1", receiverPort).build()).build()) {
                    sender.start();
                    for (int i = 0; i < count; i++) {
                        byte[] payload = ByteBuffer.allocate(4).putInt(i).array();
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (!sender.send("receiver", payload, null) && System.nanoTime() < deadline) {
                            Thread.onSpinWait(); // chain full: wait for acks to free room
                        }
                    }
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> sender.stats().acked() + sender.stats().failed() >= count);
                    assertThat(sender.stats().sent()).isEqualTo(count);
                    assertThat(sender.stats().acked()).isEqualTo(count);
                    assertThat(sender.stats().failed()).isZero();
                }
                String result = out.readLine();
                assertThat(receiver.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(result).startsWith("RESULT distinct=" + count + " duplicates=0");
            } finally {
                receiver.destroyForcibly();
            }
        }
    }
}
