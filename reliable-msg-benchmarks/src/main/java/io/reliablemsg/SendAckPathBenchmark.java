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
 * The whole steady-state send -> ack path of two messengers, in one thread, over an in-memory,
 * allocation-free transport ({@link MemoryNetwork}): {@code trySend} on A, A's loop pass (chain,
 * encode, send), B's pass (decode, duplicate check, delivery inline, ack), A's pass (ack, chain
 * removal, ack listener). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes
 * allocated per message by both sides together. In package {@code io.reliablemsg} only to drive the
 * loops by hand ({@code startManual}, {@code loop()} are package-private).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SendAckPathBenchmark {
    @Param({"64", "1024"})
    int payloadSize;

    /** {@code copy}: an {@link InboundHandler} gets a copy; {@code view}: an {@link InboundViewHandler} reads in place. */
    @Param({"copy", "view"})
    String delivery;

    /**
     * {@code none}: the sender has no ack listener (an ack frees its slot on the loop); {@code inline}: an
     * {@link AckListener} with {@code inlineCallbacks}, as {@code Compare}'s sender runs.
     */
    @Param({"none", "inline"})
    String ackListener;

    /**
     * {@code off}: no message tracer (the default, what every figure before revision 5 measured); {@code on}: a
     * tracer giving every message the same W3C trace context, carried in a TRACE_CONTEXT frame (docs/PROTOCOL.md,
     * section 13): the core's cost of carrying it, without any tracing library's.
     */
    @Param({"off", "on"})
    String tracing;

    private MemoryNetwork net;
    private ReliableMessenger a;
    private ReliableMessenger b;
    private MessengerLoop loopA;
    private MessengerLoop loopB;
    private byte[] payload;
    private long delivered;
    private long acked;

    @Setup(Level.Trial)
    public void setup() {
        net = new MemoryNetwork();
        InetSocketAddress addrA = new InetSocketAddress("127.0.0.1", 10_001);
        InetSocketAddress addrB = new InetSocketAddress("127.0.0.1", 10_002);
        ReliableMessenger.Builder receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                        .acceptUnknownPeers(true).inlineCallbacks(true).interval(Duration.ofSeconds(1)).build())
                .transport(c -> net.endpoint(addrB));
        b = (delivery.equals("view") ? receiver.inboundViewHandler(v -> delivered += v.payloadLength() > 0 ? 1 : 0)
                : receiver.inboundHandler(m -> delivered++)).build();
        boolean listener = ackListener.equals("inline");
        ReliableMessenger.Builder sender = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                        .peer("b", "127.0.0.1", 10_002).inlineCallbacks(listener).interval(Duration.ofSeconds(1)).build())
                .transport(c -> net.endpoint(addrA));
        if (tracing.equals("on")) {
            TraceContext context = TraceContext.of(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L,
                    TraceContext.FLAG_SAMPLED, null);
            sender.messageTracer((peer, msgId, request) -> context);
        }
        a = (listener ? sender.ackListener((peer, msgId, latencyNs, transmissions) -> acked++) : sender).build();
        b.startManual();
        a.startManual();
        loopA = a.loop();
        loopB = b.loop();
        payload = new byte[payloadSize];
    }

    @TearDown(Level.Trial)
    public void check() {
        if (a.pendingCount() != 0 || net.dropped() != 0 || a.stats().retransmitted() != 0) {
            throw new IllegalStateException("not a clean send->ack path: pending " + a.pendingCount() + ", dropped "
                    + net.dropped() + ", retransmitted " + a.stats().retransmitted());
        }
    }

    /** One message sent, delivered and acked (bundling has nothing to bundle). */
    @Benchmark
    public long sendAck() throws IOException {
        a.trySend("b", payload, null);
        loopA.runOnce();
        loopB.runOnce();
        loopA.runOnce();
        return delivered + acked;
    }

    /** 16 messages sent at once: they share a datagram, and so do their acks (per message). */
    @Benchmark
    @OperationsPerInvocation(16)
    public long sendAck16() throws IOException {
        for (int i = 0; i < 16; i++) {
            a.trySend("b", payload, null);
        }
        loopA.runOnce();
        loopB.runOnce();
        loopA.runOnce();
        return delivered + acked;
    }
}
