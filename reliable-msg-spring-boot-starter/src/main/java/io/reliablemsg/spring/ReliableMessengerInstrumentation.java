package io.reliablemsg.spring;

import io.reliablemsg.AckListener;
import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.MessageTracer;
import io.reliablemsg.SendFailureListener;

/**
 * What the starter's messenger is instrumented with, when a bean of this type exists: the starter's
 * Micrometer Observations ({@code reliable-msg.observations.enabled=true}) are one. The auto-configured
 * messenger gets the {@link #tracer()} and wraps its handlers and listeners in what this returns; without such
 * a bean nothing is wrapped and nothing costs. Free of Micrometer types, so the messenger's auto-configuration
 * loads without Micrometer on the class path.
 */
public interface ReliableMessengerInstrumentation {
    /** Gives each message sent its trace context, on the sending thread. */
    MessageTracer tracer();

    /** The handler of delivered messages, around {@code handler}. */
    InboundHandler inbound(InboundHandler handler);

    /** The request handler, around {@code handler}. */
    AsyncRequestHandler requests(AsyncRequestHandler handler);

    /** The ack listener, around {@code listener} (null: there is none besides this). */
    AckListener acks(AckListener listener);

    /** The failure listener, around {@code listener}. */
    SendFailureListener failures(SendFailureListener listener);
}
