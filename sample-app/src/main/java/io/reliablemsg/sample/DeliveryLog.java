package io.reliablemsg.sample;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The node's business handler: counts the messages it receives and checks that none reaches it
 * twice, remembering the last {@value #REMEMBERED} message keys.
 */
@Component
public class DeliveryLog implements InboundHandler {
    static final int REMEMBERED = 100_000;

    private record MessageKey(int clientId, long incarnation, long msgId) {
    }

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong repeated = new AtomicLong();
    private final Set<MessageKey> recent = new LinkedHashSet<>();

    @Override
    public void onMessage(InboundMessage message) {
        delivered.incrementAndGet();
        MessageKey key = new MessageKey(message.clientId(), message.incarnation(), message.msgId());
        synchronized (recent) {
            if (!recent.add(key)) {
                repeated.incrementAndGet();
            } else if (recent.size() > REMEMBERED) {
                Iterator<MessageKey> oldest = recent.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** Messages handed to this handler. */
    public long delivered() {
        return delivered.get();
    }

    /** Messages handed to this handler a second time (the library promises 0). */
    public long repeated() {
        return repeated.get();
    }
}
