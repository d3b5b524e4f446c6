package io.reliablemsg.sample;

import io.reliablemsg.ReliableMessenger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/messages}: sends one message reliably to a peer. */
@RestController
public class MessagesController {
    private final ReliableMessenger messenger;

    /** A controller sending through {@code messenger}. */
    public MessagesController(ReliableMessenger messenger) {
        this.messenger = messenger;
    }

    /**
     * A message to send; text is sent as UTF-8.
     *
     * @param peer       configured peer name
     * @param payload    message text
     * @param userBuffer short text handed back in the failure report if the message fails; optional
     */
    public record SendRequest(String peer, String payload, String userBuffer) {
    }

    /** 202 with the message id, 503 when the chain is full, 400 with a reason for bad input. */
    @PostMapping("/api/messages")
    public ResponseEntity<Map<String, Object>> send(@RequestBody SendRequest request) {
        if (request.peer() == null || request.peer().isBlank()) {
            return badRequest("peer is required; configured peers: " + messenger.peers().keySet());
        }
        if (request.payload() == null) {
            return badRequest("payload is required");
        }
        byte[] userBuffer = request.userBuffer() == null ? null : request.userBuffer().getBytes(StandardCharsets.UTF_8);
        long msgId;
        try {
            msgId = messenger.trySend(request.peer(), request.payload().getBytes(StandardCharsets.UTF_8), userBuffer);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
        if (msgId == ReliableMessenger.NOT_ACCEPTED) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of(
                    "error", "retransmit chain full: try again when messages were acked or failed",
                    "pending", messenger.pendingCount(), "capacity", messenger.capacity()));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("msgId", msgId, "peer", request.peer()));
    }

    private static ResponseEntity<Map<String, Object>> badRequest(String reason) {
        return ResponseEntity.badRequest().body(Map.of("error", reason));
    }
}
