package io.reliablemsg.bench.jmh;

import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RetransmitChain} with 1,000 and 1,000,000 messages pending. Time is a counter that moves
 * by 1 ns per operation; message i was sent at time i and the interval equals the number pending,
 * so each tick finds exactly one message due, retransmits it and puts it back at the tail: the
 * steady state of a chain that retransmits as often as it can.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ChainBenchmark {
    @Param({"1000", "1000000"})
    int pending;

    private RetransmitChain chain;
    private PendingMessage[] messages;
    private long now;
    private int oldest;
    private final RetransmitChain.Listener listener = new RetransmitChain.Listener() {
        @Override
        public void onRetransmit(PendingMessage m, long nowNs, long nowMillis) {
        }

        @Override
        public void onExhausted(PendingMessage m, long nowNs) {
            chain.add(m, now); // keep the chain full: hang it on again as new
        }
    };

    @Setup(Level.Trial)
    public void setup() {
        chain = new RetransmitChain(pending, 1, pending, 254);
        messages = new PendingMessage[pending];
        byte[] payload = new byte[64];
        for (int i = 0; i < pending; i++) {
            messages[i] = new PendingMessage(i, 0, payload, new byte[0]);
            chain.add(messages[i], i);
        }
        now = pending - 1;
        oldest = 0;
    }

    /** Ack of the oldest message (lookup by id + unlink) and insert of it again as a new send. */
    @Benchmark
    public int ackAndInsert() {
        PendingMessage m = messages[oldest];
        if (++oldest == pending) {
            oldest = 0;
        }
        chain.remove(chain.get(m.msgId()));
        chain.add(m, ++now);
        return chain.size();
    }

    /** A timer tick that finds one message due: retransmit and requeue. */
    @Benchmark
    public int tickOneDue() {
        now++;
        if (chain.nextDeadlineNs(0) <= now) {
            return chain.pollDue(0, now, 0L, 1000, listener);
        }
        return -1;
    }

    /** A timer tick that finds nothing due. */
    @Benchmark
    public int tickIdle() {
        if (chain.nextDeadlineNs(0) <= now - pending) {
            return chain.pollDue(0, now, 0L, 1000, listener);
        }
        return 0;
    }
}
