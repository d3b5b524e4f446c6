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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One I/O-loop pass with nothing to receive and nothing due, with 1, 10 and 100 peers and the
 * chain full (1000 pending spread over the peers, whose datagrams go nowhere): what every timer tick
 * costs whatever happens. In package {@code io.reliablemsg} to drive the loop by hand.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TimerTickBenchmark {
    @Param({"1", "10", "100"})
    int peers;

    private MessengerLoop loop;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        MemoryNetwork net = new MemoryNetwork();
        MessengerConfig.Builder cb = MessengerConfig.builder().clientId(1).interval(Duration.ofSeconds(600));
        for (int i = 0; i < peers; i++) {
            cb.peer("p" + i, "127.0.0.1", 20_000 + i);
        }
        ReliableMessenger m = ReliableMessenger.builder(cb.build())
                .transport(c -> net.endpoint(new InetSocketAddress("127.0.0.1", 10_001))).build();
        m.startManual();
        loop = m.loop();
        byte[] payload = new byte[64];
        for (int i = 0; i < 1000; i++) {
            m.trySend("p" + (i % peers), payload, null);
        }
        while (loop.runOnce()) {
            // hang everything on the chain
        }
    }

    /** One loop pass: receive (nothing), submissions (none), timers (nothing due), flush. */
    @Benchmark
    public boolean idlePass() throws IOException {
        return loop.runOnce();
    }
}
