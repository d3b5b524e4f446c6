package io.reliablemsg.internal;

import io.reliablemsg.AckListener;
import io.reliablemsg.Reply;
import io.reliablemsg.SendFailedException;
import io.reliablemsg.SendFailure;
import io.reliablemsg.SendFailureListener;
import io.reliablemsg.SendResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The futures of {@code sendAsync} and {@code request}, by message id, completed from the same outcomes the
 * listeners hear (a request's reply, which no listener hears, comes through {@link #onReplied}): the user's ack listener and failure listener run first, then the future completes, so the
 * event and the future are two views of one outcome. Futures complete on the callback thread, or, when
 * callbacks run inline on the I/O loop, on the common pool in batches ({@link BatchingCompleter}): never on
 * the I/O loop. Internal: not API.
 */
public final class SendFutures implements AckListener, SendFailureListener {
    private final ConcurrentHashMap<Long, CompletableFuture<?>> byMsgId = new ConcurrentHashMap<>();
    private final AckListener acks;
    private final SendFailureListener failures;
    private final Executor completer;

    /** Futures beside the user's {@code acks} (may be null) and {@code failures}. */
    public SendFutures(AckListener acks, SendFailureListener failures, boolean inlineCallbacks) {
        this.acks = acks;
        this.failures = failures;
        this.completer = inlineCallbacks ? new BatchingCompleter(ForkJoinPool.commonPool()) : Runnable::run;
    }

    /** A future for {@code msgId}, registered before the message is handed to the loop. */
    public CompletableFuture<SendResult> register(long msgId) {
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        byMsgId.put(msgId, future);
        return future;
    }

    /** A future for request {@code msgId}, registered before the request is handed to the loop. */
    public CompletableFuture<Reply> registerRequest(long msgId) {
        CompletableFuture<Reply> future = new CompletableFuture<>();
        byMsgId.put(msgId, future);
        return future;
    }

    /** Completes the request's future with {@code reply} (a request's slot is freed by the caller, after). */
    @SuppressWarnings("unchecked")
    void onReplied(Reply reply) {
        CompletableFuture<Reply> future = (CompletableFuture<Reply>) byMsgId.remove(reply.msgId());
        if (future != null) {
            completer.execute(() -> future.complete(reply));
        }
    }

    /** Whether an ack must reach {@link #onAcked}: a user listener, or a future waiting. */
    boolean wanted() {
        return acks != null || !byMsgId.isEmpty();
    }

    /** Futures not completed yet. */
    public int outstanding() {
        return byMsgId.size();
    }

    @Override
    public void onAcked(String peer, long msgId, long latencyNs, int transmissions) {
        try {
            if (acks != null) {
                acks.onAcked(peer, msgId, latencyNs, transmissions);
            }
        } finally {
            // no lookup (and no boxing) on the ack path unless some future waits
            @SuppressWarnings("unchecked") // only sendAsync's futures are acked: a request ends with its reply
            CompletableFuture<SendResult> future = byMsgId.isEmpty() ? null
                    : (CompletableFuture<SendResult>) byMsgId.remove(msgId);
            if (future != null) {
                SendResult result = new SendResult(peer, msgId, transmissions, Duration.ofNanos(latencyNs));
                completer.execute(() -> future.complete(result));
            }
        }
    }

    @Override
    public void onSendFailed(SendFailure failure) {
        try {
            failures.onSendFailed(failure);
        } finally {
            CompletableFuture<?> future = byMsgId.isEmpty() ? null : byMsgId.remove(failure.msgId());
            if (future != null) {
                SendFailedException e = new SendFailedException(failure);
                completer.execute(() -> future.completeExceptionally(e));
            }
        }
    }
}
