package io.reliablemsg.spring;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendResult;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends objects through the {@link ReliableMessenger}, written by the {@link PayloadConverter}
 * (JSON by default when Jackson is present): the sending counterpart of typed
 * {@link ReliableMessageListener} parameters.
 */
public final class ReliableMessageTemplate {
    private final ReliableMessenger messenger;
    private final PayloadConverter converter;

    /** A template over {@code messenger} and {@code converter}. */
    public ReliableMessageTemplate(ReliableMessenger messenger, PayloadConverter converter) {
        this.messenger = Objects.requireNonNull(messenger, "messenger");
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    /**
     * {@link ReliableMessenger#send} of {@code payload} converted; false when the chain is full.
     *
     * @throws PayloadConversionException when the converter cannot write it (nothing is sent)
     */
    public boolean send(String peer, Object payload, byte[] userBuffer) {
        return messenger.send(peer, converter.toPayload(payload), userBuffer);
    }

    /**
     * {@link ReliableMessenger#sendAsync} of {@code payload} converted.
     *
     * @throws PayloadConversionException when the converter cannot write it (nothing is sent)
     */
    public CompletableFuture<SendResult> sendAsync(String peer, Object payload, byte[] userBuffer) {
        return messenger.sendAsync(peer, converter.toPayload(payload), userBuffer);
    }

    /** The converter in use. */
    public PayloadConverter converter() {
        return converter;
    }
}
