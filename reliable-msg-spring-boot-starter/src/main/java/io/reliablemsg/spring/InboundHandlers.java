package io.reliablemsg.spring;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
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
 * exception is rethrown (the others added as suppressed) so the core logs it and counts it in
 * {@code handlerErrors}. The message is not delivered again: its ack was already sent.
 */
public final class InboundHandlers implements InboundHandler {
    private final Supplier<List<InboundHandler>> lookup;
    private volatile List<InboundHandler> handlers;

    /** Calls the handlers that {@code lookup} returns when the first message arrives. */
    public InboundHandlers(Supplier<List<InboundHandler>> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public void onMessage(InboundMessage message) {
        RuntimeException first = null;
        for (InboundHandler handler : handlers()) {
            try {
                handler.onMessage(message);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
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
