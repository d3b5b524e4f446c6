package io.reliablemsg.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.reliablemsg.AckListener;
import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.FailureReason;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessageTracer;
import io.reliablemsg.SendFailedException;
import io.reliablemsg.SendFailureListener;
import io.reliablemsg.TraceContext;
import io.reliablemsg.spring.ReliableMessengerInstrumentation;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The starter's Micrometer Observations of one messenger ({@code reliable-msg.observations.enabled=true}):
 *
 * <ul>
 *   <li>{@code reliable.msg.send}: started on the sending thread when a message is accepted (a child of the
 *       observation current there), stopped when the ack arrives, or with the failure as its error (the
 *       {@link SendFailedException} with the reason) when the message fails. A request's ends as soon as it is
 *       handed to the I/O loop (outcome {@code sent}): its ack and reply reach no listener, only the caller's
 *       future. A send refused at once (chain full) is not observed: it is no message.</li>
 *   <li>{@code reliable.msg.receive}: around each call of the handler of a message or request, in its scope,
 *       a child of the sender's span when the message carried a trace context (a TRACE_CONTEXT frame, from a
 *       sender of this release with observations on); the handler's exception is its error.</li>
 * </ul>
 *
 * The trace context reaches the datagram through the registry's handlers: a tracing bridge's
 * PropagatingSenderTracingObservationHandler writes {@code traceparent} into the send's {@link TraceCarrier},
 * which becomes the message's {@link TraceContext}; without a tracing bridge nothing is carried and the
 * observations still time sends and handlers. Sends under way are kept by message id until their outcome
 * (at most the chain's capacity); thread-safe.
 */
public final class ReliableMsgObservations implements ReliableMessengerInstrumentation {
    private static final ReliableMsgObservationConventions.Send SEND = new ReliableMsgObservationConventions.Send();
    private static final ReliableMsgObservationConventions.Receive RECEIVE =
            new ReliableMsgObservationConventions.Receive();

    private final ObservationRegistry registry;
    private final Map<Long, Observation> sends = new ConcurrentHashMap<>();

    /** Observations recorded in {@code registry}. */
    public ReliableMsgObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public MessageTracer tracer() {
        return (peer, msgId, request) -> {
            SendContext context = new SendContext(peer, msgId, request);
            Observation observation = Observation.createNotStarted(null, SEND, () -> context, registry).start();
            if (observation.isNoop()) {
                return null;
            }
            TraceContext trace = context.getCarrier().traceContext();
            if (request) { // no listener hears a request's ack or reply: its observation covers the send
                context.outcome("sent");
                observation.stop();
            } else {
                sends.put(msgId, observation);
            }
            return trace;
        };
    }

    @Override
    public AckListener acks(AckListener listener) {
        return (peer, msgId, latencyNs, transmissions) -> {
            Observation observation = sends.remove(msgId);
            if (observation != null) {
                ((SendContext) observation.getContext()).outcome("acked");
                observation.stop();
            }
            if (listener != null) {
                listener.onAcked(peer, msgId, latencyNs, transmissions);
            }
        };
    }

    @Override
    public SendFailureListener failures(SendFailureListener listener) {
        Objects.requireNonNull(listener, "listener");
        return failure -> {
            Observation observation = sends.remove(failure.msgId());
            if (observation != null) {
                ((SendContext) observation.getContext()).outcome(outcome(failure.reason()));
                observation.error(new SendFailedException(failure));
                observation.stop();
            }
            listener.onSendFailed(failure);
        };
    }

    private static String outcome(FailureReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public InboundHandler inbound(InboundHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new InboundHandler() {
            @Override
            public void onMessage(InboundMessage message) {
                onMessage(message, null);
            }

            @Override
            public void onMessage(InboundMessage message, TraceContext traceContext) {
                ReceiveContext context = new ReceiveContext(message, traceContext, false);
                Observation observation = Observation.createNotStarted(null, RECEIVE, () -> context, registry).start();
                try (Observation.Scope scope = observation.openScope()) {
                    handler.onMessage(message, traceContext);
                } catch (RuntimeException | Error e) {
                    context.outcome("error");
                    observation.error(e);
                    throw e;
                } finally {
                    observation.stop();
                }
            }
        };
    }

    @Override
    public AsyncRequestHandler requests(AsyncRequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new AsyncRequestHandler() {
            @Override
            public CompletionStage<byte[]> onRequest(InboundMessage request) {
                return onRequest(request, null);
            }

            @Override
            public CompletionStage<byte[]> onRequest(InboundMessage request, TraceContext traceContext) {
                return observeRequest(handler, request, traceContext);
            }
        };
    }

    private CompletionStage<byte[]> observeRequest(AsyncRequestHandler handler, InboundMessage request,
                                                   TraceContext traceContext) {
        ReceiveContext context = new ReceiveContext(request, traceContext, true);
        Observation observation = Observation.createNotStarted(null, RECEIVE, () -> context, registry).start();
        CompletionStage<byte[]> reply;
        try (Observation.Scope scope = observation.openScope()) {
            reply = handler.onRequest(request, traceContext);
        } catch (RuntimeException | Error e) {
            context.outcome("error");
            observation.error(e);
            observation.stop();
            throw e;
        }
        if (reply == null) {
            observation.stop();
            return null;
        }
        return reply.whenComplete((bytes, error) -> {
            if (error != null) {
                context.outcome("error");
                observation.error(error);
            }
            observation.stop();
        });
    }

    /** Sends observed now whose outcome has not come (for tests). */
    int sendsUnderWay() {
        return sends.size();
    }
}
