package io.reliablemsg;

import io.reliablemsg.bench.MemoryNetwork;
import io.reliablemsg.internal.MessengerLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The send -> ack path of one sender with {@code peers} peers, each its own messenger, in one thread
 * over {@link MemoryNetwork}: per operation, 1,600 messages of 64 B spread over the peers in turn (round
 * robin, as the {@code scale} case of {@code Compare} sends), the sender's passes, every receiver's
 * passes, the sender's passes. The score is per message; against {@code peers=1} it shows what the sender's
 * per-peer work (timer scans, deadlines, flushes) costs as peers grow, without sockets or a second
 * core. In package {@code io.reliablemsg} to drive the loops by hand.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OperationsPerInvocation(1600)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ManyPeersBenchmark {
    /** Messages per operation, spread evenly over the peers: the score is per message. */
    private static final int MESSAGES = 1600;

    @Param({"1", "10", "100"})
    int peers;

    private MemoryNetwork net;
    private ReliableMessenger sender;
    private ReliableMessenger[] receivers;
    private MessengerLoop senderLoop;
    private MessengerLoop[] receiverLoops;
    private String[] names;
    private final byte[] payload = new byte[64];
    private long delivered;

    @Setup(Level.Trial)
    public void setup() {
        net = new MemoryNetwork();
        MessengerConfig.Builder config = MessengerConfig.builder().clientId(1).interval(Duration.ofSeconds(1))
                .maxStoredMessages(MESSAGES);
        receivers = new ReliableMessenger[peers];
        receiverLoops = new MessengerLoop[peers];
        names = new String[peers];
        for (int i = 0; i < peers; i++) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", 20_000 + i);
            names[i] = "r" + i;
            config.peer(names[i], "127.0.0.1", 20_000 + i);
            receivers[i] = ReliableMessenger.builder(MessengerConfig.builder().clientId(100 + i)
                            .acceptUnknownPeers(true).interval(Duration.ofSeconds(1)).build())
                    .transport(c -> net.endpoint(address)).inboundHandler(m -> delivered++).build();
            receivers[i].startManual();
            receiverLoops[i] = receivers[i].loop();
        }
        InetSocketAddress self = new InetSocketAddress("127.0.0.1", 19_999);
        sender = ReliableMessenger.builder(config.build()).transport(c -> net.endpoint(self)).build();
        sender.startManual();
        senderLoop = sender.loop();
    }

    @TearDown(Level.Trial)
    public void check() {
        if (sender.pendingCount() != 0 || net.dropped() != 0 || sender.stats().retransmitted() != 0) {
            throw new IllegalStateException("not a clean send->ack path: pending " + sender.pendingCount()
                    + ", dropped " + net.dropped() + ", retransmitted " + sender.stats().retransmitted());
        }
    }

    /** 1,600 messages round robin over the peers, delivered and acked. */
    @Benchmark
    public long roundRobin() throws IOException {
        for (int k = 0; k < MESSAGES; k++) {
            sender.trySend(names[k % peers], payload, null);
        }
        drain(senderLoop);
        for (MessengerLoop loop : receiverLoops) {
            drain(loop);
        }
        drain(senderLoop);
        return delivered;
    }

    private static void drain(MessengerLoop loop) throws IOException {
        for (int pass = 0; pass < 1000 && loop.runOnce(); pass++) {
            // until a pass finds nothing to do (bounded)
        }
    }
}
