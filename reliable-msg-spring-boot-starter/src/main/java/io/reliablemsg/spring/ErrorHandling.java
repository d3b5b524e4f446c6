package io.reliablemsg.spring;

import io.reliablemsg.InboundMessage;
import java.lang.reflect.UndeclaredThrowableException;

/** Hands a handler's exception to the {@link ReliableMessageErrorHandler}, or rethrows it when there is none. */
final class ErrorHandling {
    private ErrorHandling() {
    }

    /** Returns when {@code handler} took {@code error} as handled; throws what it (or, without one, the error) threw. */
    static void handle(ReliableMessageErrorHandler handler, InboundMessage message, Exception error) {
        if (handler == null) {
            throw unchecked(error);
        }
        try {
            handler.handleError(message, error);
        } catch (Exception again) {
            throw unchecked(again);
        }
    }

    private static RuntimeException unchecked(Exception e) {
        return e instanceof RuntimeException runtime ? runtime : new UndeclaredThrowableException(e);
    }
}
