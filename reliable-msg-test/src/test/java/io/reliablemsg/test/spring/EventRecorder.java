package io.reliablemsg.test.spring;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.spring.SendFailedEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;

/** A bean of the test application: the messages its messenger delivered and the SendFailedEvents it published. */
class EventRecorder implements InboundHandler {
    final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    final List<SendFailedEvent> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(InboundMessage message) {
        received.add(message);
    }

    @EventListener
    void onSendFailed(SendFailedEvent event) {
        failures.add(event);
    }

    List<String> texts() {
        return received.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    List<String> failedUserBuffers() {
        return failures.stream().map(e -> new String(e.getUserBuffer(), StandardCharsets.UTF_8)).toList();
    }

    void clear() {
        received.clear();
        failures.clear();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
