package io.reliablemsg.spring;

import io.reliablemsg.ReliableMessenger;

/**
 * Changes the builder of the starter's {@link ReliableMessenger} just before the messenger is built:
 * for example to wrap its transport ({@code builder.transportDecorator(...)}), replace it
 * ({@code builder.transport(...)}, as the test kit's {@code @AutoConfigureReliableMsgTestNetwork} does) or
 * set a clock. Declare it as a
 * bean; every such bean is applied in {@code @Order}, after the starter set the inbound handler, the
 * failure listener and the ack listener. A customizer that replaces those replaces the starter's
 * {@code SendFailedEvent}s, handlers and latency timer. Not applied to a {@code ReliableMessenger} bean
 * the application defines itself.
 */
@FunctionalInterface
public interface ReliableMessengerBuilderCustomizer {
    /** Changes {@code builder}; called once, on the thread that creates the messenger bean. */
    void customize(ReliableMessenger.Builder builder);
}
