package io.reliablemsg.spring;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.TraceContext;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hands each delivered message to every {@link InboundHandler} bean, in their {@code @Order}, then to
 * every {@link ReliableMessageListener} method. The
 * handlers are looked up on the first message, not when the messenger is created, so a handler may
 * itself inject the {@code ReliableMessenger} (to reply) without a dependency cycle.
 *
 * <p>A handler that throws does not keep the message from the others; after all ran, the first
 * exception (the others added as suppressed) goes to the {@link ReliableMessageErrorHandler} when there is
 * one, and is rethrown otherwise so the core logs it and counts it in {@code handlerErrors}. With
 * {@code ack-mode=on-receipt} the message is not delivered again (its ack was already sent); with
 * {@code after-handler} a rethrown exception leaves it unacked, to be delivered again.
 */
public final class InboundHandlers implements InboundHandler {
    private final Supplier<List<InboundHandler>> lookup;
    private final Supplier<ReliableMessageErrorHandler> errorHandler;
    private volatile List<InboundHandler> handlers;

    /** Calls the handlers that {@code lookup} returns when the first message arrives. */
    public InboundHandlers(Supplier<List<InboundHandler>> lookup) {
        this(lookup, () -> null);
    }

    /** Like {@link #InboundHandlers(Supplier)}, handing failures to {@code errorHandler} (which may supply null). */
    public InboundHandlers(Supplier<List<InboundHandler>> lookup, Supplier<ReliableMessageErrorHandler> errorHandler) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    @Override
    public void onMessage(InboundMessage message) {
        onMessage(message, null);
    }

    /** Like {@link #onMessage(InboundMessage)}, handing each handler the trace context the message carried. */
    @Override
    public void onMessage(InboundMessage message, TraceContext traceContext) {
        RuntimeException first = null;
        for (InboundHandler handler : handlers()) {
            try {
                if (traceContext == null) {
                    handler.onMessage(message);
                } else {
                    handler.onMessage(message, traceContext);
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            ErrorHandling.handle(errorHandler.get(), message, first);
        }
    }

    private List<InboundHandler> handlers() {
        List<InboundHandler> current = handlers;
        if (current == null) {
            current = List.copyOf(lookup.get());
            handlers = current;
        }
        return current;
    }
}
