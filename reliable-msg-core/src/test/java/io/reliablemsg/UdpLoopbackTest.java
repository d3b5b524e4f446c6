package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Two messengers in one JVM over real UDP sockets on 127.0.0.1. */
class UdpLoopbackTest {

    @Test
    void everyMessageIsAckedAndDeliveredOnceOverRealUdp() throws Exception {
        int count = 2_000;
        Set<Long> received = ConcurrentHashMap.newKeySet();
        CopyOnWriteArrayList<Long> duplicates = new CopyOnWriteArrayList<>();
        try (ReliableMessenger b = messenger(2, m -> {
                if (!received.add(ByteBuffer.wrap(m.payload()).getLong())) {
                    duplicates.add(m.msgId());
                }
            })) {
            b.start();
            ReliableMessenger sender = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                    .bindAddress("127.0.0.1").peer("b", "127.0.0.1", b.localAddress().getPort())
                    .interval(Duration.ofMillis(200)).build()).build();
            sender.start();
            try {
                for (long i = 0; i < count; i++) {
                    byte[] payload = ByteBuffer.allocate(8).putLong(i).array();
                    while (!sender.send("b", payload, null)) {
                        Thread.onSpinWait();
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> sender.stats().acked() >= count);
                assertThat(sender.stats().acked()).isEqualTo(count);
                assertThat(sender.pendingCount()).isZero();
            } finally {
                sender.close();
            }
        }
        assertThat(received).hasSize(count);
        assertThat(duplicates).isEmpty();
    }

    @Test
    void aMessageLargerThanTheLoopbacksDatagramGoesInFragmentsAndArrivesWhole() throws Exception {
        byte[] large = new byte[300_000];
        new java.util.Random(5).nextBytes(large);
        CopyOnWriteArrayList<byte[]> delivered = new CopyOnWriteArrayList<>();
        try (ReliableMessenger b = messenger(2, m -> delivered.add(m.payload()))) {
            b.start();
            try (ReliableMessenger sender = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                    .bindAddress("127.0.0.1").peer("b", "127.0.0.1", b.localAddress().getPort())
                    .interval(Duration.ofMillis(200)).build()).build()) {
                sender.start();
                // the first copy may go before b's capabilities are known: too large to go whole, it waits for them
                assertThat(sender.send("b", large, null)).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> sender.stats().acked() == 1);
                assertThat(sender.stats("b").fragmentsSent()).as("65,507-byte datagrams on loopback: 5 fragments")
                        .isGreaterThanOrEqualTo(5);
            }
        }
        assertThat(delivered).singleElement().satisfies(p -> assertThat(p).isEqualTo(large));
    }

    private static ReliableMessenger messenger(int clientId, InboundHandler handler) {
        return ReliableMessenger.builder(MessengerConfig.builder().clientId(clientId).bindAddress("127.0.0.1")
                .acceptUnknownPeers(true).interval(Duration.ofMillis(200)).build()).inboundHandler(handler).build();
    }
}
