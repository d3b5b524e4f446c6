package io.reliablemsg.spring;

import io.reliablemsg.InboundMessage;

/**
 * Decides what an exception out of the application's handlers means, in the manner of spring-kafka's
 * {@code CommonErrorHandler}: one bean of this type is called, on the callback thread, when an
 * {@link io.reliablemsg.InboundHandler} bean, a {@link ReliableMessageListener} method or a request handler
 * throws (a request handler's stage that fails counts too). Without such a bean the exception is logged and
 * counted by the core ({@code handlerErrors}).
 *
 * <ul>
 * <li>Return normally: the message counts as handled. With {@code reliable-msg.ack-mode=after-handler} it is
 * acked and not delivered again; a request is answered "no reply" (its requester's future fails with
 * {@code NO_REPLY}). Use it to log, count or park the message elsewhere (a dead-letter store).</li>
 * <li>Throw (for example {@code error} itself): the message failed. With {@code after-handler} it is not acked,
 * the sender retransmits it and the handlers run again, until they succeed or the sender gives up (its
 * {@code SendFailedEvent}); with {@code on-receipt} it was acked already, and a request is answered
 * "no reply".</li>
 * </ul>
 */
@FunctionalInterface
public interface ReliableMessageErrorHandler {
    /** {@code error} came out of the handlers of {@code message}; return to count it handled, throw to fail it. */
    void handleError(InboundMessage message, Exception error) throws Exception;
}
