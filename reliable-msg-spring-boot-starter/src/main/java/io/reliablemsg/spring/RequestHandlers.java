package io.reliablemsg.spring;

import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.TraceContext;
import io.reliablemsg.RequestHandler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Answers the requests that reach the messenger, in this order: an {@link AsyncRequestHandler} bean, else a
 * {@link RequestHandler} bean, else the first {@link ReliableMessageListener} method that returns a value and
 * takes the request's peer (its value is the reply: {@code byte[]} as is, a {@code CompletionStage} when it
 * completes, {@code null} for "no reply", anything else written by the {@link PayloadConverter}); with none
 * of them a request is answered "no reply". What they throw goes to the {@link ReliableMessageErrorHandler}
 * when there is one. The handlers are looked up on the first request, so they may inject the messenger.
 */
public final class RequestHandlers implements AsyncRequestHandler {
    private final Supplier<AsyncRequestHandler> asyncBean;
    private final Supplier<RequestHandler> bean;
    private final Supplier<List<ListenerMethod>> methods;
    private final Supplier<PayloadConverter> converter;
    private final Supplier<ReliableMessageErrorHandler> errorHandler;

    /** Each supplier may supply null (none); {@code listeners} gives the listener methods. */
    public RequestHandlers(Supplier<AsyncRequestHandler> asyncBean, Supplier<RequestHandler> bean,
                           ReliableMessageListenerMethodProcessor listeners, Supplier<PayloadConverter> converter,
                           Supplier<ReliableMessageErrorHandler> errorHandler) {
        this.asyncBean = Objects.requireNonNull(asyncBean, "asyncBean");
        this.bean = Objects.requireNonNull(bean, "bean");
        this.methods = Objects.requireNonNull(listeners, "listeners")::replyingMethods;
        this.converter = Objects.requireNonNull(converter, "converter");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    @Override
    public CompletionStage<byte[]> onRequest(InboundMessage request) {
        return onRequest(request, null);
    }

    /** Like {@link #onRequest(InboundMessage)}; a handler bean gets the trace context the request carried. */
    @Override
    public CompletionStage<byte[]> onRequest(InboundMessage request, TraceContext traceContext) {
        CompletionStage<byte[]> stage;
        try {
            stage = answer(request, traceContext);
        } catch (Exception e) {
            stage = CompletableFuture.failedFuture(e);
        }
        ReliableMessageErrorHandler handler = errorHandler.get();
        if (handler == null) {
            return stage;
        }
        return stage.handle((reply, error) -> {
            if (error == null) {
                return reply;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!(cause instanceof Exception exception)) {
                throw new CompletionException(cause);
            }
            ErrorHandling.handle(handler, request, exception);
            return null; // handled: "no reply"
        });
    }

    private CompletionStage<byte[]> answer(InboundMessage request, TraceContext traceContext) throws Exception {
        AsyncRequestHandler async = asyncBean.get();
        if (async != null) {
            return async.onRequest(request, traceContext);
        }
        RequestHandler sync = bean.get();
        if (sync != null) {
            return CompletableFuture.completedFuture(sync.onRequest(request, traceContext));
        }
        for (ListenerMethod method : methods.get()) {
            if (method.accepts(request.peer())) {
                Object value = method.call(request);
                return value == ListenerMethod.SKIPPED ? CompletableFuture.completedFuture(null) : reply(value);
            }
        }
        return CompletableFuture.completedFuture(null); // nobody here answers requests
    }

    private CompletionStage<byte[]> reply(Object value) {
        if (value instanceof CompletionStage<?> later) {
            return later.thenApply(this::bytes);
        }
        return CompletableFuture.completedFuture(bytes(value));
    }

    private byte[] bytes(Object value) {
        return value == null ? null : value instanceof byte[] raw ? raw : converter.get().toPayload(value);
    }
}
