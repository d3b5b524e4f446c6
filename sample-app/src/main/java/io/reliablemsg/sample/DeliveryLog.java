package io.reliablemsg.sample;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The node's business handler: counts the messages it receives and checks that none reaches it
 * twice, remembering the last {@value #REMEMBERED} message keys; and records when each of the last
 * {@value #TIMED} messages arrived (sender's client id, message id, wall-clock time), so a test
 * driver that knows when it sent them can measure delivery times ({@code GET /api/deliveries}).
 */
@Component
public class DeliveryLog implements InboundHandler {
    static final int REMEMBERED = 100_000;
    static final int TIMED = 200_000;

    private record MessageKey(int clientId, long incarnation, long msgId) {
    }

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong repeated = new AtomicLong();
    private final Set<MessageKey> recent = new LinkedHashSet<>();
    private final int[] timedClientIds = new int[TIMED];
    private final long[] timedMsgIds = new long[TIMED];
    private final long[] timedAtMillis = new long[TIMED];
    private long timedCount; // guarded by recent

    /** One delivery: the sender's client id, the message id, and when the handler got it (epoch ms). */
    public record Delivery(int clientId, long msgId, long atMillis) {
    }

    @Override
    public void onMessage(InboundMessage message) {
        delivered.incrementAndGet();
        MessageKey key = new MessageKey(message.clientId(), message.incarnation(), message.msgId());
        long now = System.currentTimeMillis();
        synchronized (recent) {
            int slot = (int) (timedCount++ % TIMED);
            timedClientIds[slot] = message.clientId();
            timedMsgIds[slot] = message.msgId();
            timedAtMillis[slot] = now;
            if (!recent.add(key)) {
                repeated.incrementAndGet();
            } else if (recent.size() > REMEMBERED) {
                Iterator<MessageKey> oldest = recent.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** Messages handed to this handler. */
    public long delivered() {
        return delivered.get();
    }

    /** Messages handed to this handler a second time (the library promises 0). */
    public long repeated() {
        return repeated.get();
    }

    /**
     * The recorded deliveries at or after {@code sinceMillis}, oldest first (at most the last
     * {@value #TIMED}), and how many deliveries were recorded in all.
     */
    public Timed deliveredSince(long sinceMillis) {
        synchronized (recent) {
            long first = Math.max(0, timedCount - TIMED);
            List<Delivery> out = new ArrayList<>();
            for (long i = first; i < timedCount; i++) {
                int slot = (int) (i % TIMED);
                if (timedAtMillis[slot] >= sinceMillis) {
                    out.add(new Delivery(timedClientIds[slot], timedMsgIds[slot], timedAtMillis[slot]));
                }
            }
            return new Timed(timedCount, out);
        }
    }

    /** Deliveries since some time, and the count of all recorded. */
    public record Timed(long total, List<Delivery> deliveries) {
    }
}
