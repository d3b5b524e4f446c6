package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An operator sees when close starts and how it ended: one log line each, with the pending count,
 * what was acked while draining and what failed. Real UDP on 127.0.0.1 to a socket that never answers.
 */
class CloseLogTest {
    @Test
    void closeLogsWhatWasPendingAndWhatBecameOfIt() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.reliablemsg.internal.MessengerRuntime");
        logger.addHandler(capture);
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            MessengerConfig config = MessengerConfig.builder().clientId(4).bindAddress("127.0.0.1")
                    .peer("quiet", "127.0.0.1", silent.getLocalPort()).interval(Duration.ofSeconds(1))
                    .closeTimeout(Duration.ofMillis(200)).build();
            ReliableMessenger messenger = ReliableMessenger.builder(config).build();
            messenger.start();
            for (int i = 0; i < 3; i++) {
                assertThat(messenger.send("quiet", new byte[] {(byte) i}, null)).isTrue();
            }
            messenger.close();
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .isEqualTo("reliable-msg client 4 closing: 3 messages pending, waiting up to 200 ms for their acks"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("reliable-msg client 4 closed in ")
                .endsWith(" ms: 0 acked while draining, 3 failed (SHUTDOWN)"));
    }
}
