// Stand-in for the sample-app node, used only to develop the chaos harness before sample-app
// exists (and selectable with run.sh --standin). Same properties and the same HTTP interface
// subset as sample-app (POST /api/messages, GET /api/stats, GET /api/failures, /actuator/health),
// built on the core API directly and the JDK's HTTP server. Run in source-file mode:
//   java -cp reliable-msg-core.jar StandInNode.java --reliable-msg.client-id=1 --server.port=8080 ...
import io.reliablemsg.*;
import com.sun.net.httpserver.*;
import java.io.*;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.*;

public class StandInNode {
    static final ConcurrentLinkedDeque<String> failures = new ConcurrentLinkedDeque<>();
    static final AtomicLong failureCount = new AtomicLong();
    static final Set<String> seenPayloads = ConcurrentHashMap.newKeySet();
    static final AtomicLong appDuplicates = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) p.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        MessengerConfig.Builder b = MessengerConfig.builder()
                .clientId(Integer.parseInt(p.get("reliable-msg.client-id")))
                .bindAddress(p.getOrDefault("reliable-msg.bind-address", "0.0.0.0"))
                .port(Integer.parseInt(p.get("reliable-msg.port")))
                .interval(Duration.ofMillis(Long.parseLong(p.getOrDefault("reliable-msg.interval", "1000ms").replace("ms", ""))))
                .maxRetries(Integer.parseInt(p.getOrDefault("reliable-msg.max-retries", "10")))
                .maxStoredMessages(Integer.parseInt(p.getOrDefault("reliable-msg.max-stored-messages", "1000")));
        p.forEach((k, v) -> { if (k.startsWith("reliable-msg.peers.")) b.peer(k.substring("reliable-msg.peers.".length()), v); });
        ReliableMessenger m = ReliableMessenger.builder(b.build())
                .inboundHandler(msg -> {
                    if (!seenPayloads.add(msg.peer() + "|" + new String(msg.payload(), StandardCharsets.UTF_8))) appDuplicates.incrementAndGet();
                })
                .failureListener(f -> {
                    failureCount.incrementAndGet();
                    failures.addLast(String.format("{\"peer\":\"%s\",\"msgId\":%d,\"userBuffer\":\"%s\",\"attempts\":%d,\"reason\":\"%s\"}",
                            f.peer(), f.msgId(), new String(f.userBuffer(), StandardCharsets.UTF_8), f.transmissions(), f.reason()));
                    while (failures.size() > 100_000) failures.pollFirst();
                })
                .build();
        m.start();
        HttpServer http = HttpServer.create(new InetSocketAddress(Integer.parseInt(p.getOrDefault("server.port", "8080"))), 512);
        http.setExecutor(Executors.newFixedThreadPool(16));
        Pattern field = Pattern.compile("\"(peer|payload|userBuffer)\"\\s*:\\s*\"([^\"]*)\"");
        http.createContext("/api/messages", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> f = new HashMap<>();
            Matcher mt = field.matcher(body);
            while (mt.find()) f.put(mt.group(1), mt.group(2));
            try {
                long id = m.trySend(f.get("peer"), f.getOrDefault("payload", "").getBytes(StandardCharsets.UTF_8),
                        f.getOrDefault("userBuffer", "").getBytes(StandardCharsets.UTF_8));
                if (id == ReliableMessenger.NOT_ACCEPTED) reply(ex, 503, "{\"error\":\"chain full\"}");
                else reply(ex, 202, "{\"msgId\":" + id + "}");
            } catch (IllegalArgumentException | NullPointerException e) {
                reply(ex, 400, "{\"error\":\"" + e.getMessage().replace('"', '\'') + "\"}");
            }
        });
        http.createContext("/api/stats", ex -> {
            MessengerStats s = m.stats();
            StringBuilder peers = new StringBuilder();
            s.peers().forEach((name, ps) -> peers.append(peers.length() == 0 ? "" : ",").append(String.format(
                    "\"%s\":{\"pending\":%d,\"sent\":%d,\"retransmitted\":%d,\"acked\":%d,\"failed\":%d,\"delivered\":%d,\"duplicates\":%d,\"staleDropped\":%d}",
                    name, ps.pending(), ps.sent(), ps.retransmitted(), ps.acked(), ps.failed(), ps.delivered(), ps.duplicates(), ps.staleMessagesDropped())));
            reply(ex, 200, String.format("{\"sent\":%d,\"acked\":%d,\"retransmitted\":%d,\"failed\":%d,\"pending\":%d,\"delivered\":%d,"
                    + "\"duplicates\":%d,\"staleDropped\":%d,\"malformedDropped\":%d,\"duplicatesDelivered\":%d,\"incarnation\":%d,\"peers\":{%s}}",
                    s.sent(), s.acked(), s.retransmitted(), s.failed(), s.pending(), s.delivered(), s.duplicates(),
                    s.staleMessagesDropped(), s.malformedDropped(), appDuplicates.get(), m.incarnation(), peers));
        });
        http.createContext("/api/failures", ex -> reply(ex, 200, "[" + String.join(",", failures) + "]"));
        http.createContext("/actuator/health", ex -> reply(ex, 200, "{\"status\":\"UP\"}"));
        http.start();
        System.out.println("stand-in node " + p.get("reliable-msg.client-id") + " up");
    }

    static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream o = ex.getResponseBody()) { o.write(bytes); }
    }
}
