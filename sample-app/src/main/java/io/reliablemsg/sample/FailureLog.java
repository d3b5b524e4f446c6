package io.reliablemsg.sample;

import io.reliablemsg.spring.SendFailedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Keeps the last {@value #CAPACITY} {@link SendFailedEvent}s for {@code GET /api/failures}. */
@Component
public class FailureLog {
    static final int CAPACITY = 1000;

    /**
     * One failed message.
     *
     * @param peer       peer it was sent to
     * @param msgId      its message id
     * @param userBuffer the user buffer given at send time, as UTF-8 text
     * @param attempts   transmissions: first send plus retransmissions
     * @param reason     why it was given up
     * @param time       when the failure was reported
     */
    public record Failure(String peer, long msgId, String userBuffer, int attempts, String reason, Instant time) {
    }

    private final Deque<Failure> recent = new ArrayDeque<>();
    private final AtomicLong total = new AtomicLong();

    /** Records a failure; runs on the messenger's callback thread, so it must stay quick. */
    @EventListener
    public void onSendFailed(SendFailedEvent event) {
        Failure failure = new Failure(event.getPeer(), event.getMsgId(),
                new String(event.getUserBuffer(), StandardCharsets.UTF_8), event.getAttempts(),
                event.getReason().name(), Instant.now());
        synchronized (recent) {
            if (recent.size() == CAPACITY) {
                recent.removeFirst();
            }
            recent.addLast(failure);
            total.incrementAndGet(); // with the list, so that a snapshot never shows one without the other
        }
    }

    /**
     * The total and the recent failures at one moment: the total counts every failure in the list
     * and those that fell off it.
     *
     * @param total  failures reported since start
     * @param recent the last {@value #CAPACITY} of them at most, oldest first
     */
    public record Snapshot(long total, List<Failure> recent) {
    }

    /** The total and the recent failures, read together. */
    public Snapshot snapshot() {
        synchronized (recent) {
            return new Snapshot(total.get(), new ArrayList<>(recent));
        }
    }

    /** The recent failures, oldest first. */
    public List<Failure> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** Failures reported since start. */
    public long total() {
        return total.get();
    }
}
