package io.reliablemsg.bench.jmh;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.DecodeError;
import io.reliablemsg.wire.FrameVisitor;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Encode and decode of DATA and ACK frames ({@link DatagramWriter}, {@link DatagramReader}). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WireBenchmark {
    @Param({"64", "1024"})
    int payloadSize;

    private DatagramWriter writer;
    private byte[] payload;
    private ByteBuffer dataDatagram;
    private ByteBuffer ackBundle;
    private FrameVisitor<Object> visitor;
    private long msgId;

    @Setup
    public void setup(Blackhole bh) {
        writer = new DatagramWriter(65_507);
        payload = new byte[payloadSize];
        writer.begin(7, 42L, 0);
        writer.tryAppendData(1, 1_700_000_000_000L, 1, payload, 32);
        dataDatagram = copy(writer.finish());
        writer.begin(7, 42L, 0);
        for (int i = 0; i < 16; i++) {
            writer.tryAppendAck(1, 2L, i, 1_700_000_000_000L, 1_700_000_000_001L, 1, 32);
        }
        ackBundle = copy(writer.finish());
        visitor = new FrameVisitor<Object>() {
            @Override
            public void onData(Object context, int senderClientId, long senderIncarnation, long id, long sendTimeMillis,
                               int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
                bh.consume(id);
                bh.consume(payloadLength);
            }

            @Override
            public void onAck(Object context, int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                              long id, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
                bh.consume(id);
            }
        };
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocateDirect(b.remaining());
        c.put(b).flip();
        return c;
    }

    /** One DATA frame into a fresh datagram: header, frame, payload copy, finish. */
    @Benchmark
    public ByteBuffer encodeData() {
        writer.begin(7, 42L, 0);
        writer.tryAppendData(++msgId, 1_700_000_000_000L, 1, payload, 32);
        return writer.finish();
    }

    /** Validate + visit one DATA datagram. */
    @Benchmark
    public DecodeError decodeData() {
        return DatagramReader.read(dataDatagram, null, visitor);
    }

    /** One ACK frame appended to a bundle (per frame). */
    @Benchmark
    @OperationsPerInvocation(16)
    public ByteBuffer encodeAck16() {
        writer.begin(7, 42L, 0);
        for (int i = 0; i < 16; i++) {
            writer.tryAppendAck(1, 2L, ++msgId, 1_700_000_000_000L, 1_700_000_000_001L, 1, 32);
        }
        return writer.finish();
    }

    /** Validate + visit a datagram of 16 ACK frames (per frame). */
    @Benchmark
    @OperationsPerInvocation(16)
    public DecodeError decodeAck16() {
        return DatagramReader.read(ackBundle, null, visitor);
    }
}
