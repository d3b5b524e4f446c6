package io.reliablemsg.spring;

import io.reliablemsg.InboundMessage;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives delivered messages, as an alternative to implementing
 * {@link io.reliablemsg.InboundHandler}. The method takes one parameter: an {@link InboundMessage}
 * (peer, client id, message id, payload), a {@code byte[]} (the payload only), a {@code String} or any
 * type the {@link PayloadConverter} reads. It runs on the messenger's callback thread, like an
 * {@code InboundHandler}; what it throws goes to the {@link ReliableMessageErrorHandler} bean, or is
 * logged and counted. With {@code reliable-msg.ack-mode=on-receipt} (the default) the message is then not
 * delivered again (its ack was already sent); with {@code after-handler} it is.
 *
 * <p>A method that returns a value also answers requests ({@code ReliableMessenger.request}): the first
 * such method (in the order the beans were created) that takes the request's peer is called, and its value
 * is the reply: {@code byte[]} as is, a {@code CompletionStage} of a value when it completes, {@code null}
 * for "no reply", anything else written by the {@code PayloadConverter} (JSON by default). For a plain
 * message the value is ignored. An {@code AsyncRequestHandler} or {@code RequestHandler} bean, when there
 * is one, answers requests instead.
 *
 * <pre>{@code
 * @ReliableMessageListener(peers = "billing")
 * void onInvoice(InboundMessage message) { ... }
 *
 * @ReliableMessageListener
 * Quote onQuoteRequest(QuoteRequest request) { return pricing.quote(request); }
 * }</pre>
 *
 * A method with another signature stops the application at start-up with a message naming it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReliableMessageListener {
    /** Names of the peers whose messages this method receives; empty (the default) means every peer. */
    String[] peers() default {};
}
