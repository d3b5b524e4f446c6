// One node of the real DNS test (scripts/chaos/dns.sh), built on the core API alone and run in
// source-file mode inside a network namespace whose resolv.conf points at the test's dnsmasq:
//
//   java -cp reliable-msg-core.jar DnsNode.java send --client-id=1 --bind=10.213.0.2 --port=7001 \
//        --peer=b.rmdns.test:7001 --out=a.events --stop-file=stop [--rate=20] [--max-count=5000] \
//        [--max-seconds=150] [--interval=1000] [--max-retries=70] [--resolution-interval=DEFAULT]
//   java -cp reliable-msg-core.jar DnsNode.java receive --client-id=2 --bind=10.213.0.3 --port=7001 \
//        --peer=10.213.0.2:7001 --out=b1.deliveries
//
// The sender sends `rate` messages a second to peer "b" (given by host name, so resolved through the
// system resolver at start and every peer-resolution-interval) until the stop file appears, `max-count`
// were sent or `max-seconds` passed, then waits for every accepted message to end (acked or failed,
// bounded by the retry span) and exits. It writes one line per event to --out, each with the wall-clock
// time in ms (all namespaces share the host's clock):
//   START t incarnation        S msgId t (accepted)      R t (refused: chain full)
//   A msgId t transmissions    F msgId t reason          P t kind [addresses] (peer change applied)
//   T t unresolved noAddressDrops pending paths (each second)      DONE t accepted acked failed refused
// The receiver writes "D clientId incarnation msgId t" for every message its handler gets, and
// "UP t" once its socket is bound; SIGTERM closes the messenger (which runs the queued handlers) first.
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerResolver;
import io.reliablemsg.PeerStats;
import io.reliablemsg.ReliableMessenger;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class DnsNode {
    private static PrintWriter out;

    private static synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> p = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + a);
            }
            p.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        out = new PrintWriter(new FileWriter(p.get("out"), StandardCharsets.UTF_8, true));
        MessengerConfig.Builder config = MessengerConfig.builder()
                .clientId(Integer.parseInt(p.get("client-id")))
                .bindAddress(p.get("bind"))
                .port(Integer.parseInt(p.get("port")))
                .interval(Duration.ofMillis(Long.parseLong(p.getOrDefault("interval", "1000"))))
                .maxRetries(Integer.parseInt(p.getOrDefault("max-retries", "70")))
                .maxStoredMessages(10_000)
                .closeTimeout(Duration.ofSeconds(2));
        if (p.containsKey("resolution-interval")) {
            config.peerResolutionInterval(Duration.ofMillis(Long.parseLong(p.get("resolution-interval"))));
        }
        switch (args[0]) {
            case "send" -> send(config.peer("b", p.get("peer")).build(), p);
            case "receive" -> receive(config.peer("a", p.get("peer")).build());
            default -> throw new IllegalArgumentException("send or receive, not " + args[0]);
        }
    }

    private static void receive(MessengerConfig config) throws InterruptedException {
        ReliableMessenger messenger = ReliableMessenger.builder(config)
                .inboundHandler(m -> line("D " + m.clientId() + " " + m.incarnation() + " " + m.msgId() + " " + now()))
                .build();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            messenger.close();
            line("CLOSED " + now());
            closed.countDown();
        }));
        messenger.start();
        line("UP " + now());
        System.out.println("receiver " + config.clientId() + " up on " + messenger.localAddress());
        closed.await(); // until SIGTERM
    }

    private static void send(MessengerConfig config, Map<String, String> p) throws Exception {
        long rate = Long.parseLong(p.getOrDefault("rate", "20"));
        long maxCount = Long.parseLong(p.getOrDefault("max-count", "5000"));
        long deadline = now() + 1000 * Long.parseLong(p.getOrDefault("max-seconds", "150"));
        Path stopFile = Path.of(p.get("stop-file"));
        AtomicLong accepted = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch sendingOver = new CountDownLatch(1);
        ReliableMessenger.Builder builder = ReliableMessenger.builder(config);
        if (Boolean.parseBoolean(p.getOrDefault("trace-lookups", "false"))) {
            // diagnosis: when the messenger asks (the JVM's cache answers most of them), and what it gets
            builder.resolver(host -> {
                try {
                    List<InetAddress> found = PeerResolver.SYSTEM.resolve(host);
                    line("L " + now() + " " + host + " " + found);
                    return found;
                } catch (UnknownHostException e) {
                    line("L " + now() + " " + host + " unknown");
                    throw e;
                }
            });
        }
        ReliableMessenger messenger = builder
                .ackListener((peer, msgId, latencyNs, transmissions) -> {
                    acked.incrementAndGet();
                    line("A " + msgId + " " + now() + " " + transmissions);
                })
                .failureListener(f -> {
                    failed.incrementAndGet();
                    line("F " + f.msgId() + " " + now() + " " + f.reason());
                })
                .peerListener(c -> line("P " + now() + " " + c.kind() + " " + c.addresses()))
                .build();
        messenger.start();
        line("START " + now() + " " + messenger.incarnation());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            if (sendingOver.getCount() == 0) {
                return;
            }
            if (accepted.get() + refused.get() >= maxCount || now() > deadline || Files.exists(stopFile)) {
                sendingOver.countDown();
                return;
            }
            long msgId = messenger.trySend("b", new byte[64], null);
            if (msgId == ReliableMessenger.NOT_ACCEPTED) {
                refused.incrementAndGet();
                line("R " + now());
            } else {
                accepted.incrementAndGet();
                line("S " + msgId + " " + now());
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        timer.scheduleAtFixedRate(() -> {
            PeerStats b = messenger.stats("b");
            line("T " + now() + " unresolved=" + b.unresolved() + " noAddressDrops=" + b.noAddressDrops()
                    + " pending=" + b.pending() + " paths=" + b.paths().stream()
                    .map(s -> s.address() + ":" + s.state()).toList());
        }, 0, 1, TimeUnit.SECONDS);
        sendingOver.await();
        // every accepted message ends, acked or failed, within its retry span after its last send
        long spanMs = config.interval().toMillis() * (config.maxRetries() + 2);
        CountDownLatch resolved = new CountDownLatch(1);
        timer.scheduleAtFixedRate(() -> {
            if (acked.get() + failed.get() >= accepted.get()) {
                resolved.countDown();
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        boolean allEnded = resolved.await(spanMs, TimeUnit.MILLISECONDS);
        line("DONE " + now() + " accepted=" + accepted.get() + " acked=" + acked.get() + " failed=" + failed.get()
                + " refused=" + refused.get() + " allEnded=" + allEnded);
        timer.shutdownNow();
        messenger.close();
        System.exit(allEnded ? 0 : 1);
    }
}
