package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.transport.ForwardingTransport;
import io.reliablemsg.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a sending thread reads of its message after handing it to the loop: nothing, since the loop may end the
 * message and its chain entry may serve another send before the thread returns. Real UDP on 127.0.0.1; the
 * sending thread is held in the transport's {@code wakeup}, which it calls after the hand-off, until the loop
 * has had the message acked and its entry given back, and another send took it.
 */
class HandOffTest {
    @Test
    void trySendReturnsItsOwnIdWhenItsEntryServedTheNextSendBeforeItReturned() throws Exception {
        List<Long> acked = new CopyOnWriteArrayList<>();
        try (ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                        .bindAddress("127.0.0.1").acceptUnknownPeers(true).build())
                .inboundHandler(m -> { })
                .asyncRequestHandler(request -> new CompletableFuture<>()).build()) { // never answers
            receiver.start();
            AtomicReference<HeldWakeup> opened = new AtomicReference<>();
            MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1")
                    .peer("r", "127.0.0.1", receiver.localAddress().getPort()).interval(Duration.ofSeconds(2))
                    .replyTimeout(Duration.ofSeconds(60)).closeTimeout(Duration.ofMillis(100)).build(); // the request waits
            try (ReliableMessenger sender = ReliableMessenger.builder(config).transportDecorator(udp -> {
                opened.set(new HeldWakeup(udp));
                return opened.get();
            }).ackListener((peer, msgId, latencyNs, transmissions) -> acked.add(msgId)).build()) {
                sender.start();
                HeldWakeup hold = opened.get();
                sender.request("r", new byte[] {1}, null); // stays on the chain: no idle-link shortcut from now on
                AtomicLong next = new AtomicLong();
                for (int attempt = 0; attempt < 20 && !hold.held; attempt++) {
                    while (sender.entries().size() > 0) { // empty: the held send's entry is the one given back
                        sender.entries().take(0, 0, new byte[0], new byte[0], false);
                    }
                    await().atMost(Duration.ofSeconds(10)).until(() -> hold.asleep);
                    hold.whileHeld = () -> {
                        await().atMost(Duration.ofSeconds(10)).until(() -> sender.entries().size() == 1);
                        Thread other = new Thread(() -> next.set(sender.trySend("r", new byte[] {3}, null)));
                        other.start();
                        try {
                            other.join(10_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    };
                    hold.thread = Thread.currentThread();
                    long id = sender.trySend("r", new byte[] {2}, null);
                    hold.thread = null;
                    if (hold.held) {
                        assertThat(next.get()).as("its own id, not the next send's").isEqualTo(id + 1);
                        await().atMost(Duration.ofSeconds(10)).until(() -> acked.contains(id + 1));
                        assertThat(acked).as("the held send's message was acked first").endsWith(id, id + 1);
                    }
                }
                assertThat(hold.held).as("the loop was asleep for one of the sends").isTrue();
            }
        }
    }

    /** Records when the loop waits; holds the armed thread in {@code wakeup}, after waking the loop, once. */
    private static final class HeldWakeup extends ForwardingTransport {
        volatile boolean asleep;
        volatile Thread thread;
        volatile Runnable whileHeld;
        volatile boolean held;

        HeldWakeup(Transport udp) {
            super(udp);
        }

        @Override
        public void await(long timeoutNs) throws IOException {
            asleep = true;
            try {
                delegate.await(timeoutNs);
            } finally {
                asleep = false;
            }
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
            if (Thread.currentThread() == thread && !held) {
                held = true;
                whileHeld.run();
            }
        }
    }
}
