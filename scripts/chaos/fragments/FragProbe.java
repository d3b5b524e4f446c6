import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerStats;
import io.reliablemsg.ReliableMessenger;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node of the fragment test (scripts/chaos/fragments.sh), core only, run with the JDK's source launcher:
 * {@code java -cp reliable-msg-core/target/classes FragProbe.java receiver|sender ...}.
 *
 * <p>receiver LOCAL_IP PORT PEER_IP PEER_PORT SECONDS: prints "DELIVERED size seq" for each message (and
 * "CORRUPT size seq" when its bytes are not the ones sent), for SECONDS, then its counters, and exits.
 *
 * <p>sender LOCAL_IP PORT PEER_IP PEER_PORT COUNT SIZES...: waits (at most 10 s) until the receiver's revision
 * is known, then sends COUNT messages of each size, interleaved, 25 a second, each carrying its size and
 * sequence number and a pattern derived from them; waits (bounded) for every outcome and prints "ACKED size
 * seq milliseconds-from-send-to-ack" or "FAILED size seq reason", then its counters.
 */
public final class FragProbe {
    private FragProbe() {
    }

    static byte[] payload(int size, int seq) {
        byte[] bytes = new byte[size];
        ByteBuffer.wrap(bytes).putInt(size).putInt(seq);
        for (int i = 8; i < size; i++) {
            bytes[i] = (byte) (i * 131 + seq * 7 + size);
        }
        return bytes;
    }

    /** Whether a peer of protocol revision {@code revision} (null: not known yet) reads FRAGMENT frames. */
    static boolean readsFragments(Integer revision) {
        return revision != null && revision >= FRAGMENTS_REVISION;
    }

    /** The first protocol revision that reads fragments (docs/PROTOCOL.md, section 12). */
    static final int FRAGMENTS_REVISION = 4;

    static MessengerConfig config(String[] a, int clientId) {
        return MessengerConfig.builder().clientId(clientId).bindAddress(a[1]).port(Integer.parseInt(a[2]))
                .peer("peer", a[3] + ":" + a[4]).interval(Duration.ofMillis(200)).maxRetries(10)
                .heartbeatInterval(Duration.ZERO)
                // measurements only: RMFRAG_REORDERING_MS sets the reordering window (default: the core's)
                .reorderingWindow(System.getenv("RMFRAG_REORDERING_MS") == null ? MessengerConfig.DEFAULT_REORDERING_WINDOW
                        : Duration.ofMillis(Long.parseLong(System.getenv("RMFRAG_REORDERING_MS")))).build();
    }

    public static void main(String[] a) throws Exception {
        PrintStream out = System.out;
        if (a[0].equals("receiver")) {
            try (ReliableMessenger m = ReliableMessenger.builder(config(a, 2)).inboundHandler(msg -> {
                ByteBuffer b = ByteBuffer.wrap(msg.payload());
                int size = b.getInt();
                int seq = b.getInt();
                boolean whole = size == msg.payload().length && java.util.Arrays.equals(msg.payload(), payload(size, seq));
                synchronized (out) {
                    out.println((whole ? "DELIVERED " : "CORRUPT ") + size + " " + seq);
                }
            }).build()) {
                m.start();
                out.println("READY");
                out.flush();
                new CountDownLatch(1).await(Long.parseLong(a[5]), TimeUnit.SECONDS); // bounded life, no sleep loop
                out.println("STATS " + m.stats("peer"));
            }
            return;
        }
        int count = Integer.parseInt(a[5]);
        int[] sizes = new int[a.length - 6];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Integer.parseInt(a[6 + i]);
        }
        Map<Long, String> byId = new ConcurrentHashMap<>();
        AtomicInteger outcomes = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(count * sizes.length);
        try (ReliableMessenger m = ReliableMessenger.builder(config(a, 1)).ackListener((peer, msgId, latency, tx) -> {
            synchronized (byId) { // the id is recorded before an outcome can be read
                out.println("ACKED " + byId.get(msgId) + " " + latency / 1_000_000.0);
            }
            outcomes.incrementAndGet();
            all.countDown();
        }).failureListener(f -> {
            synchronized (byId) {
                out.println("FAILED " + byId.get(f.msgId()) + " " + f.reason());
            }
            outcomes.incrementAndGet();
            all.countDown();
        }).build()) {
            m.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // revision 4 is the first that reads fragments; a later one reads them too
            while (!readsFragments(m.stats("peer").protocolRevision()) && System.nanoTime() < until) {
                new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS);
            }
            out.println("PEER_REVISION " + m.stats("peer").protocolRevision());
            for (int seq = 0; seq < count; seq++) {
                for (int size : sizes) {
                    long id;
                    synchronized (byId) {
                        id = m.trySend("peer", payload(size, seq), null);
                        byId.put(id, size + " " + seq);
                    }
                    if (id == ReliableMessenger.NOT_ACCEPTED) {
                        out.println("REFUSED " + size + " " + seq);
                        all.countDown();
                    }
                    new CountDownLatch(1).await(40, TimeUnit.MILLISECONDS); // 25 messages a second
                }
            }
            boolean done = all.await(30, TimeUnit.SECONDS);
            out.println("OUTCOMES " + outcomes.get() + (done ? "" : " (timed out)"));
            PeerStats s = m.stats("peer");
            out.println("STATS " + s);
        }
    }
}
