package io.reliablemsg.bench.jmh;

import io.reliablemsg.receive.DuplicateWindow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link DuplicateWindow} at its default size (2^20 ids): new ids in order, and duplicates. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DuplicateWindowBenchmark {
    private DuplicateWindow window;
    private long next;
    private long probe;

    @Setup
    public void setup() {
        window = new DuplicateWindow(1 << 20);
        for (next = 1; next <= 10_000; next++) {
            window.mark(next);
        }
    }

    /** The common case: the next id arrives, is found new and marked. */
    @Benchmark
    public DuplicateWindow.Verdict newInOrder() {
        long id = next++;
        DuplicateWindow.Verdict v = window.check(id);
        if (v == DuplicateWindow.Verdict.NEW) {
            window.mark(id);
        }
        return v;
    }

    /** A retransmitted copy of an id inside the window. */
    @Benchmark
    public DuplicateWindow.Verdict duplicate() {
        probe = probe >= 9_000 ? 1 : probe + 7;
        return window.check(next - 1 - probe);
    }
}
