package io.reliablemsg.test;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** What one messenger's handler and failure listener were given. */
final class Recorder implements Consumer<ReliableMessenger.Builder> {
    final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    final List<SendFailure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void accept(ReliableMessenger.Builder builder) {
        builder.inboundHandler(received::add).failureListener(failures::add);
    }

    /** Payloads received, as text. */
    List<String> texts() {
        return received.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    /** User buffers of the failures, as text. */
    List<String> failedUserBuffers() {
        return failures.stream().map(f -> new String(f.userBuffer(), StandardCharsets.UTF_8)).toList();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
