package io.reliablemsg.spring;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;

/** Records the SendFailedEvents and inbound messages of one context, with the thread each ran on. */
class RecordingListener implements InboundHandler {
    final List<SendFailedEvent> failures = new CopyOnWriteArrayList<>();
    final List<String> failureThreads = new CopyOnWriteArrayList<>();
    final List<InboundMessage> received = new CopyOnWriteArrayList<>();

    @EventListener
    void onSendFailed(SendFailedEvent event) {
        failures.add(event);
        failureThreads.add(Thread.currentThread().getName());
    }

    @Override
    public void onMessage(InboundMessage message) {
        received.add(message);
    }
}
