package io.reliablemsg.internal;

import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.RequestHandler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the handler of a message whose end the responder waits for (a request, or any message with
 * {@code ackMode=after-handler}) on the callback thread, and hands the result back to the loop through
 * {@link HandlerCompletions}: normal return (with the reply bytes of a request; null means "no reply"), or
 * failure (an exception, a stage that completed exceptionally, a reply longer than {@code maxReplySize}: counted in
 * {@code handlerErrors} and logged, the 1st, 2nd, 4th, 8th... time). A node without a request handler
 * answers every request "no reply". Not a protocol role: it runs user code, never on the loop unless
 * callbacks are inline.
 */
final class HandlerRunner implements HandledDelivery {
    private static final Logger LOG = System.getLogger(HandlerRunner.class.getName());
    private static final byte[] NONE = new byte[0];

    private final InboundHandler messages;
    private final RequestHandler requests;
    private final AsyncRequestHandler asyncRequests;
    private final CallbackTasks callbacks;
    private final HandlerCompletions completions;
    private final AtomicLong handlerErrors;
    private final int maxReplySize;

    /** {@code requests} and {@code asyncRequests} may be null (at most one is set). */
    HandlerRunner(InboundHandler messages, RequestHandler requests, AsyncRequestHandler asyncRequests,
                  CallbackTasks callbacks, HandlerCompletions completions, AtomicLong handlerErrors, int maxReplySize) {
        this.messages = messages;
        this.requests = requests;
        this.asyncRequests = asyncRequests;
        this.callbacks = callbacks;
        this.completions = completions;
        this.handlerErrors = handlerErrors;
        this.maxReplySize = maxReplySize;
    }

    @Override
    public boolean offer(Handling handling) {
        return callbacks.offerDelivery(handling.message.peer(), () -> run(handling));
    }

    private void run(Handling handling) {
        try {
            if (!handling.request) {
                messages.onMessage(handling.message, handling.traceContext);
                finish(handling, NONE, null);
            } else if (asyncRequests != null) {
                CompletionStage<byte[]> stage = asyncRequests.onRequest(handling.message, handling.traceContext);
                if (stage == null) {
                    throw new NullPointerException("the asynchronous request handler returned no stage");
                }
                stage.whenComplete((reply, error) -> finish(handling, reply, error));
            } else if (requests != null) {
                finish(handling, requests.onRequest(handling.message, handling.traceContext), null);
            } else {
                handling.succeeded(null); // acked, answered "no reply": nobody here answers requests
                completions.completed(handling);
            }
        } catch (Throwable t) {
            finish(handling, null, t);
        }
    }

    private void finish(Handling handling, byte[] reply, Throwable error) {
        Throwable problem = error;
        if (problem == null && reply != null && reply.length > maxReplySize) {
            problem = new IllegalArgumentException("reply of " + reply.length + " bytes exceeds maxReplySize ("
                    + maxReplySize + ")");
        }
        if (problem == null) {
            handling.succeeded(handling.request && reply != null ? reply.clone() : null); // null: "no reply"
        } else {
            handling.failed();
            long n = handlerErrors.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th ... error: visible, but no flood
                LOG.log(Level.WARNING, (handling.request ? "request" : "inbound") + " handler failed on "
                        + handling.message + " (" + n + " callback errors so far)", problem);
            }
        }
        completions.completed(handling);
    }
}
