package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.transport.ForwardingTransport;
import io.reliablemsg.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each idle strategy delivers and acks, and only {@code PARK} ever sleeps in the socket's selector: with
 * {@code YIELD} and {@code SPIN} the loop polls. Real UDP on 127.0.0.1; 50 messages each way, bounded waits.
 */
class IdleStrategyTest {
    private static final int MESSAGES = 50;

    @ParameterizedTest
    @EnumSource(IdleStrategy.class)
    void messagesAreAckedAndOnlyParkSleepsInTheSelector(IdleStrategy strategy) throws Exception {
        AtomicInteger awaits = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        try (ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).idleStrategy(strategy).build())
                .inboundHandler(m -> delivered.incrementAndGet())
                .transportDecorator(udp -> new AwaitCounting(udp, awaits)).build()) {
            receiver.start();
            MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1")
                    .idleStrategy(strategy).peer("r", "127.0.0.1", receiver.localAddress().getPort()).build();
            assertThat(config.idleStrategy()).isEqualTo(strategy);
            try (ReliableMessenger sender = ReliableMessenger.builder(config).build()) {
                sender.start();
                for (int i = 0; i < MESSAGES; i++) {
                    assertThat(sender.send("r", new byte[] {(byte) i}, null)).isTrue();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.stats().acked() == MESSAGES
                        && delivered.get() == MESSAGES);
                if (strategy == IdleStrategy.PARK) {
                    // idle now: the loop sleeps in the selector until the next timer
                    await().atMost(Duration.ofSeconds(10)).until(() -> awaits.get() > 0);
                }
            }
        }
        if (strategy == IdleStrategy.PARK) {
            assertThat(awaits.get()).isPositive();
        } else {
            assertThat(awaits.get()).as("a polling loop never waits in the selector").isZero();
        }
    }

    /** Counts the loop's waits on the socket. */
    private static final class AwaitCounting extends ForwardingTransport {
        private final AtomicInteger awaits;

        AwaitCounting(Transport delegate, AtomicInteger awaits) {
            super(delegate);
            this.awaits = awaits;
        }

        @Override
        public void await(long timeoutNs) throws IOException {
            awaits.incrementAndGet();
            delegate.await(timeoutNs);
        }
    }
}
