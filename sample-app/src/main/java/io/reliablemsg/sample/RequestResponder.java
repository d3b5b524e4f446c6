package io.reliablemsg.sample;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.RequestHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * This node's answer to every request: {@code reply:} followed by the request's payload. Counts its own runs
 * per peer, so a handler that ran twice for one request would show in {@code GET /api/stats} as
 * {@code requestsHandled} above the requests sent.
 */
@Component
public class RequestResponder implements RequestHandler {
    private static final byte[] PREFIX = "reply:".getBytes(StandardCharsets.UTF_8);

    private final Map<String, AtomicLong> runsByPeer = new ConcurrentHashMap<>();

    @Override
    public byte[] onRequest(InboundMessage request) {
        runsByPeer.computeIfAbsent(request.peer(), peer -> new AtomicLong()).incrementAndGet();
        byte[] reply = new byte[PREFIX.length + request.payload().length];
        System.arraycopy(PREFIX, 0, reply, 0, PREFIX.length);
        System.arraycopy(request.payload(), 0, reply, PREFIX.length, request.payload().length);
        return reply;
    }

    /** Runs of this handler for requests from {@code peer}. */
    public long handled(String peer) {
        AtomicLong runs = runsByPeer.get(peer);
        return runs == null ? 0 : runs.get();
    }
}
