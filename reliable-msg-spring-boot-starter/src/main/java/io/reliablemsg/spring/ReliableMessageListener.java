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
 * (peer, client id, message id, payload) or a {@code byte[]} (the payload only). Its return value is
 * ignored. It runs on the messenger's callback thread, like an {@code InboundHandler}; what it throws
 * is logged and counted, and the message is not delivered again (its ack was already sent).
 *
 * <pre>{@code
 * @ReliableMessageListener(peers = "billing")
 * void onInvoice(InboundMessage message) { ... }
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
