package io.reliablemsg.spring;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.Reply;
import io.reliablemsg.SendResult;
import java.time.Duration;
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
     * {@link ReliableMessenger#trySend(String, byte[], byte[], Duration)} of {@code payload} converted: waits up
     * to {@code maxBlock} for room in a full chain; the message id, or {@link ReliableMessenger#NOT_ACCEPTED}
     * when no room came.
     *
     * @throws PayloadConversionException when the converter cannot write it (nothing is sent)
     * @throws InterruptedException       when the thread is interrupted while it waits
     */
    public long send(String peer, Object payload, byte[] userBuffer, Duration maxBlock) throws InterruptedException {
        return messenger.trySend(peer, converter.toPayload(payload), userBuffer, maxBlock);
    }

    /**
     * {@link ReliableMessenger#sendAsync} of {@code payload} converted.
     *
     * @throws PayloadConversionException when the converter cannot write it (nothing is sent)
     */
    public CompletableFuture<SendResult> sendAsync(String peer, Object payload, byte[] userBuffer) {
        return messenger.sendAsync(peer, converter.toPayload(payload), userBuffer);
    }

    /**
     * {@link ReliableMessenger#request} of {@code payload} converted; the reply read as a {@code replyType}
     * ({@code byte[]} or {@link Reply} to have it as it came). The future fails as the messenger's does, or
     * with a {@link PayloadConversionException} when the reply cannot be read as a {@code replyType}.
     *
     * @throws PayloadConversionException when the converter cannot write the payload (nothing is sent)
     */
    public <T> CompletableFuture<T> request(String peer, Object payload, Class<T> replyType, byte[] userBuffer) {
        Objects.requireNonNull(replyType, "replyType");
        return messenger.request(peer, converter.toPayload(payload), userBuffer).thenApply(reply ->
                replyType == Reply.class ? replyType.cast(reply) : converter.fromPayload(reply.payload(), replyType));
    }

    /** The converter in use. */
    public PayloadConverter converter() {
        return converter;
    }
}
