package io.reliablemsg.spring;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendFailure;
import io.reliablemsg.SendFailureListener;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@link SendFailureListener} that publishes each failure as a {@link SendFailedEvent}. The core
 * calls it on its callback thread (the starter never turns on inline callbacks), so the application's
 * listeners run there, synchronously, and never on the I/O loop.
 *
 * <p>The auto-configured messenger uses it already. An application that defines its own
 * {@code ReliableMessenger} bean can pass this bean to {@code ReliableMessenger.Builder.failureListener}.
 */
public final class SendFailedEventPublisher implements SendFailureListener {
    private final ApplicationEventPublisher publisher;
    private final Supplier<ReliableMessenger> messenger;

    /** Publishes to {@code publisher} with the messenger supplied by {@code messenger} as the event source. */
    public SendFailedEventPublisher(ApplicationEventPublisher publisher, Supplier<ReliableMessenger> messenger) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.messenger = Objects.requireNonNull(messenger, "messenger");
    }

    @Override
    public void onSendFailed(SendFailure failure) {
        publisher.publishEvent(new SendFailedEvent(messenger.get(), failure));
    }
}
