package io.reliablemsg.sample;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendFailedException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/requests}: sends one request to a peer and answers when its reply came (every node's
 * handler answers {@code reply:} and the payload) or when it failed. The HTTP request waits (asynchronously,
 * no thread held) for at most the reply timeout and the retry span.
 */
@RestController
public class RequestsController {
    private final ReliableMessenger messenger;

    /** A controller sending requests through {@code messenger}. */
    public RequestsController(ReliableMessenger messenger) {
        this.messenger = messenger;
    }

    /**
     * A request to send; text is sent as UTF-8.
     *
     * @param peer       configured peer name
     * @param payload    request text
     * @param userBuffer short text handed back if the request fails; optional
     */
    public record Request(String peer, String payload, String userBuffer) {
    }

    /**
     * 200 {@code {"msgId","reply"}}; 504 {@code {"msgId","userBuffer","reason"}} when the request failed (msgId
     * -1 when the chain was full); 400 with a reason for bad input; 503 when the node is shutting down.
     */
    @PostMapping("/api/requests")
    public CompletableFuture<ResponseEntity<Map<String, Object>>> request(@RequestBody Request request) {
        if (request.peer() == null || request.peer().isBlank()) {
            return done(ResponseEntity.badRequest().body(Map.of("error", "peer is required; configured peers: "
                    + messenger.config().peers().keySet())));
        }
        if (request.payload() == null) {
            return done(ResponseEntity.badRequest().body(Map.of("error", "payload is required")));
        }
        byte[] userBuffer = request.userBuffer() == null ? null : request.userBuffer().getBytes(StandardCharsets.UTF_8);
        try {
            return messenger.request(request.peer(), request.payload().getBytes(StandardCharsets.UTF_8), userBuffer)
                    .handle((reply, error) -> {
                        if (error == null) {
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("msgId", reply.msgId());
                            body.put("reply", new String(reply.payload(), StandardCharsets.UTF_8));
                            return ResponseEntity.ok(body);
                        }
                        return failed(error);
                    });
        } catch (IllegalArgumentException e) {
            return done(ResponseEntity.badRequest().body(Map.of("error", e.getMessage())));
        } catch (IllegalStateException e) {
            return done(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage())));
        }
    }

    private static ResponseEntity<Map<String, Object>> failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Map<String, Object> body = new LinkedHashMap<>();
        if (cause instanceof SendFailedException failure) {
            body.put("msgId", failure.failure().msgId());
            body.put("userBuffer", new String(failure.userBuffer(), StandardCharsets.UTF_8));
            body.put("reason", failure.reason().name());
        } else {
            body.put("msgId", ReliableMessenger.NOT_ACCEPTED);
            body.put("userBuffer", "");
            body.put("reason", String.valueOf(cause));
        }
        return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(body);
    }

    private static CompletableFuture<ResponseEntity<Map<String, Object>>> done(ResponseEntity<Map<String, Object>> r) {
        return CompletableFuture.completedFuture(r);
    }
}
