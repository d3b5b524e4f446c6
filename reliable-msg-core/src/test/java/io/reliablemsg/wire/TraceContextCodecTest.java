package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The TRACE_CONTEXT frame (revision 5): the documented layout, round trips at the edges of every field, a
 * longer body read up to its fields, what the reader refuses (a body shorter than its fields or its
 * tracestate, every truncation), and what the writer refuses (docs/PROTOCOL.md, "Trace context").
 */
class TraceContextCodecTest {
    private static final int CLIENT_ID = 0x01020304;
    private static final long INCARNATION = 0x1112131415161718L;

    private static byte[] write(java.util.function.Predicate<DatagramWriter> frames) {
        DatagramWriter writer = new DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        assertThat(frames.test(writer)).isTrue();
        ByteBuffer d = writer.finish();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        return bytes;
    }

    @Test
    void writesTheDocumentedLayout() {
        byte[] state = "a=b".getBytes();
        byte[] bytes = write(w -> w.tryAppendTraceContext(0x2122232425262728L, 0x01, 0x3132333435363738L,
                0x4142434445464748L, 0x5152535455565758L, state, 0));
        ByteBuffer d = ByteBuffer.wrap(bytes);
        int at = WireFormat.HEADER_LENGTH;
        assertThat(bytes).hasSize(WireFormat.HEADER_LENGTH + 40 + 3);
        assertThat(d.get(at) & 0xFF).isEqualTo(0x45);
        assertThat(d.get(at + 1)).isZero();
        assertThat(d.getShort(at + 2)).isEqualTo((short) (36 + 3));
        assertThat(d.getLong(at + 4)).isEqualTo(0x2122232425262728L);
        assertThat(d.get(at + 12)).as("traceparent version").isZero();
        assertThat(d.get(at + 13)).isEqualTo((byte) 0x01);
        assertThat(d.getShort(at + 14)).isEqualTo((short) 3);
        assertThat(d.getLong(at + 16)).isEqualTo(0x3132333435363738L);
        assertThat(d.getLong(at + 24)).isEqualTo(0x4142434445464748L);
        assertThat(d.getLong(at + 32)).isEqualTo(0x5152535455565758L);
        assertThat(Arrays.copyOfRange(bytes, at + 40, bytes.length)).isEqualTo(state);
        assertThat(bytes).isEqualTo(new RawDatagram(CLIENT_ID, INCARNATION).traceContext(0x2122232425262728L, 0x01,
                0x3132333435363738L, 0x4142434445464748L, 0x5152535455565758L, state).bytes());
        assertThat(DatagramWriter.traceContextLength(3)).isEqualTo(43);
    }

    @Test
    void roundTripsAtTheEdgesOfEveryFieldBundledWithItsData() {
        byte[] longest = new byte[WireFormat.MAX_TRACE_STATE_LENGTH];
        Arrays.fill(longest, (byte) 'x');
        for (long value : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            for (int flags : new int[] {0, 1, 0xFF}) {
                for (byte[] state : new byte[][] {new byte[0], "k=v".getBytes(), longest}) {
                    byte[] bytes = write(w -> w.tryAppendTraceContext(value, flags, value, ~value, value ^ 7, state, 0)
                            && w.tryAppendData(value, 5, 1, new byte[] {1}, 0));
                    assertThat(V1Frames.readNew(bytes)).containsExactly(
                            V1Frames.traceContext(CLIENT_ID, INCARNATION, value, 0, flags, value, ~value, value ^ 7,
                                    state),
                            V1Frames.data(CLIENT_ID, INCARNATION, value, 5, 1, new byte[] {1}));
                }
            }
        }
    }

    @Test
    void readsALongerBodyUpToItsFieldsIgnoringTheRestUnknownFlagsAndALaterVersion() {
        ByteBuffer body = ByteBuffer.allocate(36 + 2 + 5);
        body.putLong(0, 9).put(8, (byte) 3).put(9, (byte) 1).putShort(10, (short) 2).putLong(12, 1).putLong(20, 2)
                .putLong(28, 3).put(36, (byte) 'a').put(37, (byte) 'b');
        byte[] bytes = new RawDatagram(CLIENT_ID, INCARNATION).optional(0x45, 0xFF, body.array())
                .data(9, 1, 1, new byte[0]).bytes();
        assertThat(V1Frames.readNew(bytes)).containsExactly(
                V1Frames.traceContext(CLIENT_ID, INCARNATION, 9, 3, 1, 1, 2, 3, "ab".getBytes()),
                V1Frames.data(CLIENT_ID, INCARNATION, 9, 1, 1, new byte[0]));
    }

    @Test
    void rejectsABodyShorterThanItsFieldsOrItsTracestate() {
        byte[] shortBody = new RawDatagram(CLIENT_ID, INCARNATION).optional(0x45, 0, new byte[35]).bytes();
        assertThat(V1Frames.readNew(shortBody)).containsExactly("rejected: BAD_FIELD");
        ByteBuffer body = ByteBuffer.allocate(36 + 4);
        body.putShort(10, (short) 5); // a tracestate of 5 bytes in a body with room for 4
        byte[] overrun = new RawDatagram(CLIENT_ID, INCARNATION).optional(0x45, 0, body.array()).bytes();
        assertThat(V1Frames.readNew(overrun)).containsExactly("rejected: BAD_FIELD");
        body.putShort(10, (short) 4);
        byte[] exact = new RawDatagram(CLIENT_ID, INCARNATION).optional(0x45, 0, body.array()).bytes();
        assertThat(V1Frames.readNew(exact)).hasSize(1).allMatch(line -> line.startsWith("TRACE_CONTEXT "));
    }

    @Test
    void rejectsEveryTruncationAndVisitsNothing() {
        byte[] bytes = write(w -> w.tryAppendTraceContext(7, 1, 1, 2, 3, "k=v".getBytes(), 0)
                && w.tryAppendData(7, 5, 1, new byte[] {1, 2}, 0));
        for (int length = 0; length < bytes.length; length++) {
            assertThat(V1Frames.readNew(Arrays.copyOf(bytes, length))).as("cut at %d", length).hasSize(1)
                    .allMatch(line -> line.startsWith("rejected: "));
        }
    }

    @Test
    void writerRefusesWhatDoesNotFitALongTracestateAndAppendsAfterCapabilities() {
        DatagramWriter small = new DatagramWriter(WireFormat.HEADER_LENGTH + WireFormat.ACK_LENGTH);
        small.begin(CLIENT_ID, INCARNATION, 0);
        assertThat(small.tryAppendTraceContext(1, 0, 1, 2, 3, new byte[0], 0)).isTrue(); // 40 bytes: fits
        assertThat(small.tryAppendTraceContext(2, 0, 1, 2, 3, new byte[0], 0)).isFalse();
        assertThat(small.frameCount()).isEqualTo(1);
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        assertThatIllegalArgumentException().isThrownBy(() -> writer.tryAppendTraceContext(1, 0, 1, 2, 3,
                new byte[WireFormat.MAX_TRACE_STATE_LENGTH + 1], 0));
        writer.tryAppendCapabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, false, 0);
        assertThatIllegalStateException().isThrownBy(() -> writer.tryAppendTraceContext(1, 0, 1, 2, 3,
                new byte[0], 0));
    }
}
