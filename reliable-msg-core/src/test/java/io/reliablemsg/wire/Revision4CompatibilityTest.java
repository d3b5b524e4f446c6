package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * This release (revision 5) against the frozen revision 4 codec ({@link FrozenRevision4Codec}), both
 * directions: the compatibility promise of docs/PROTOCOL.md, "Wire evolution", 7.6, for the release that adds
 * TRACE_CONTEXT. Revision 4 writes every frame it knows byte for byte as this release does; it reads this
 * release's CAPABILITIES, revision 5 and the trace-context bit included, as written; it skips a TRACE_CONTEXT
 * by its length and reads the frames around it, the DATA, REQUEST or FRAGMENT it belongs to included (which is
 * why it goes only to peers that advertised {@link WireFormat#FEATURE_TRACE_CONTEXT}, though an older reader
 * would lose nothing else); signed datagrams verify both ways.
 */
class Revision4CompatibilityTest {
    private static final int CLIENT_ID = 0x0BADF00D;
    private static final long INCARNATION = 0x0102030405060708L;
    private static final byte[] KEY = "fedcba9876543210fedcba9876543210".getBytes();

    /** Appends the same frames through either writer. */
    private interface Frames {
        void write(DatagramWriter current);

        void write(FrozenRevision4Codec.DatagramWriter revision4);
    }

    private static List<Frames> everyFrameRevision4Knows() {
        byte[] kilobyte = new byte[1024];
        java.util.Arrays.fill(kilobyte, (byte) 0x5A);
        return List.of(
                both(w -> w.tryAppendData(1, 1_700_000_000_123L, 1, new byte[0], 0),
                        w -> w.tryAppendData(1, 1_700_000_000_123L, 1, new byte[0], 0)),
                both(w -> w.tryAppendData(Long.MAX_VALUE, Long.MIN_VALUE, 255, kilobyte, 0),
                        w -> w.tryAppendData(Long.MAX_VALUE, Long.MIN_VALUE, 255, kilobyte, 0)),
                both(w -> w.tryAppendAck(-1, -1L, Long.MAX_VALUE, 0, -1L, 255, 0),
                        w -> w.tryAppendAck(-1, -1L, Long.MAX_VALUE, 0, -1L, 255, 0)),
                both(w -> {
                    w.tryAppendPing(1_700_000_000_200L, 0);
                    w.tryAppendPong(1_700_000_000_200L, 1_700_000_000_201L, 0);
                }, w -> {
                    w.tryAppendPing(1_700_000_000_200L, 0);
                    w.tryAppendPong(1_700_000_000_200L, 1_700_000_000_201L, 0);
                }),
                both(w -> {
                    w.tryAppendRequest(9, 1_800_000_000_000L, 3, "question".getBytes(), 0);
                    w.tryAppendReply(3, 4L, 8, 1_800_000_000_000L, 1_800_000_000_001L, false, "answer".getBytes(), 0);
                    w.tryAppendReply(3, 4L, 9, 1_800_000_000_000L, 1_800_000_000_001L, true, new byte[0], 0);
                }, w -> {
                    w.tryAppendRequest(9, 1_800_000_000_000L, 3, "question".getBytes(), 0);
                    w.tryAppendReply(3, 4L, 8, 1_800_000_000_000L, 1_800_000_000_001L, false, "answer".getBytes(), 0);
                    w.tryAppendReply(3, 4L, 9, 1_800_000_000_000L, 1_800_000_000_001L, true, new byte[0], 0);
                }),
                both(w -> {
                    w.tryAppendFragment(2, 1_001, 3, kilobyte, 1, 3, 400, 400, 0);
                    w.tryAppendFragmentAck(7, 70L, 3, 1_002, 1_003, 2, 0);
                }, w -> {
                    w.tryAppendFragment(2, 1_001, 3, kilobyte, 1, 3, 400, 400, 0);
                    w.tryAppendFragmentAck(7, 70L, 3, 1_002, 1_003, 2, 0);
                }),
                both(w -> w.tryAppendCapabilities(4, 0b111, true, 0), w -> w.tryAppendCapabilities(4, 0b111, true, 0)));
    }

    private static Frames both(Consumer<DatagramWriter> current, Consumer<FrozenRevision4Codec.DatagramWriter> old) {
        return new Frames() {
            @Override
            public void write(DatagramWriter w) {
                current.accept(w);
            }

            @Override
            public void write(FrozenRevision4Codec.DatagramWriter w) {
                old.accept(w);
            }
        };
    }

    private static byte[] writeCurrent(Frames frames) {
        DatagramWriter writer = new DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        frames.write(writer);
        return bytes(writer.finish());
    }

    private static byte[] writeRevision4(Frames frames) {
        FrozenRevision4Codec.DatagramWriter writer = new FrozenRevision4Codec.DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        frames.write(writer);
        return bytes(writer.finish());
    }

    /** What the frozen revision 4 reader visits, one line per frame, or its error. */
    static List<String> readRevision4(byte[] datagram) {
        List<String> seen = new ArrayList<>();
        FrozenRevision4Codec.DecodeError error = FrozenRevision4Codec.DatagramReader.read(ByteBuffer.wrap(datagram),
                seen, new FrozenRevision4Codec.FrameVisitor<List<String>>() {
                    @Override
                    public void onData(List<String> s, int c, long i, long msgId, long sendTime, int t, ByteBuffer d,
                                       int offset, int length) {
                        byte[] payload = new byte[length];
                        d.get(offset, payload);
                        s.add("DATA " + msgId + " " + sendTime + " " + t + " " + HexFormat.of().formatHex(payload));
                    }

                    @Override
                    public void onAck(List<String> s, int c, long i, int oc, long oi, long msgId, long echoed,
                                      long ackTime, int t) {
                        s.add("ACK " + oc + "/" + oi + " " + msgId + " " + echoed + " " + ackTime + " " + t);
                    }

                    @Override
                    public void onPing(List<String> s, int c, long i, long sendTime) {
                        s.add("PING " + sendTime);
                    }

                    @Override
                    public void onPong(List<String> s, int c, long i, long echoed, long pongTime) {
                        s.add("PONG " + echoed + " " + pongTime);
                    }

                    @Override
                    public void onRequest(List<String> s, int c, long i, long msgId, long sendTime, int t,
                                          ByteBuffer d, int offset, int length) {
                        s.add("REQUEST " + msgId + " " + sendTime + " " + t + " " + length);
                    }

                    @Override
                    public void onReply(List<String> s, int c, long i, int oc, long oi, long msgId, long echoed,
                                        long replyTime, boolean noReply, ByteBuffer d, int offset, int length) {
                        s.add("REPLY " + msgId + " " + noReply + " " + length);
                    }

                    @Override
                    public void onFragment(List<String> s, int c, long i, long msgId, long sendTime, int t,
                                           int length, int index, int count, int offset, ByteBuffer d, int dataOffset,
                                           int dataLength) {
                        s.add("FRAGMENT " + msgId + " " + index + "/" + count + " " + dataLength);
                    }

                    @Override
                    public void onFragmentAck(List<String> s, int c, long i, int oc, long oi, long msgId, long echoed,
                                              long ackTime, int index) {
                        s.add("FRAGMENT_ACK " + msgId + " " + index);
                    }

                    @Override
                    public void onCapabilities(List<String> s, int c, long i, int revision, long features,
                                               boolean answerRequested) {
                        s.add("CAPABILITIES " + revision + " " + Long.toHexString(features) + " " + answerRequested);
                    }

                    @Override
                    public void onUnknownOptionalFrame(List<String> s, int c, long i, int type, int bodyLength) {
                        s.add("SKIPPED 0x" + Integer.toHexString(type) + " " + bodyLength);
                    }
                });
        return error == null ? seen : List.of("rejected: " + error);
    }

    @Test
    void everyFrameRevision4KnowsIsWrittenByteForByteAsRevision4WritesItAndReadAlikeBothWays() {
        for (Frames frames : everyFrameRevision4Knows()) {
            byte[] written = writeCurrent(frames);
            assertThat(written).isEqualTo(writeRevision4(frames));
            assertThat(V1Frames.readNew(written)).isNotEmpty().noneMatch(line -> line.startsWith("rejected"));
            assertThat(readRevision4(written)).isNotEmpty().noneMatch(line -> line.startsWith("rejected"));
        }
    }

    @Test
    void revision4ReadsThisReleasesCapabilitiesAsWrittenAndThisReleaseReadsRevision4s() {
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendCapabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, true, 0);
        assertThat(WireFormat.PROTOCOL_REVISION).isEqualTo(5);
        assertThat(readRevision4(bytes(writer.finish()))).containsExactly("CAPABILITIES 5 f true");

        FrozenRevision4Codec.DatagramWriter old = new FrozenRevision4Codec.DatagramWriter(1500);
        old.begin(CLIENT_ID, INCARNATION, 0);
        old.tryAppendCapabilities(FrozenRevision4Codec.WireFormat.PROTOCOL_REVISION,
                FrozenRevision4Codec.WireFormat.FEATURES, false, 0);
        assertThat(V1Frames.readNew(bytes(old.finish()))).containsExactly(V1Frames.capabilities(CLIENT_ID, INCARNATION,
                4, WireFormat.FEATURE_OPTIONAL_FRAMES | WireFormat.FEATURE_REQUEST_REPLY | WireFormat.FEATURE_FRAGMENTS,
                false));
    }

    @Test
    void revision4SkipsATraceContextByItsLengthAndReadsTheFramesItBelongsTo() {
        byte[] state = "rojo=00f067aa0ba902b7".getBytes();
        byte[] message = new byte[30];
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendTraceContext(1, 1, 0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, state, 0);
        writer.tryAppendData(1, 1_000, 1, "before".getBytes(), 0);
        writer.tryAppendTraceContext(2, 0, 1, 2, 3, new byte[0], 0);
        writer.tryAppendRequest(2, 1_001, 1, "question".getBytes(), 0);
        writer.tryAppendTraceContext(3, 1, 4, 5, 6, new byte[0], 0);
        writer.tryAppendFragment(3, 1_002, 1, message, 0, 2, 0, 15, 0);
        byte[] datagram = bytes(writer.finish());

        assertThat(readRevision4(datagram)).containsExactly(
                "SKIPPED 0x45 " + (WireFormat.TRACE_CONTEXT_MIN_BODY_LENGTH + state.length),
                "DATA 1 1000 1 " + HexFormat.of().formatHex("before".getBytes()),
                "SKIPPED 0x45 " + WireFormat.TRACE_CONTEXT_MIN_BODY_LENGTH,
                "REQUEST 2 1001 1 8",
                "SKIPPED 0x45 " + WireFormat.TRACE_CONTEXT_MIN_BODY_LENGTH,
                "FRAGMENT 3 0/2 15");
        assertThat(V1Frames.readNew(datagram)).containsExactly(
                V1Frames.traceContext(CLIENT_ID, INCARNATION, 1, 0, 1, 0x0af7651916cd43ddL, 0x8448eb211c80319cL,
                        0xb7ad6b7169203331L, state),
                V1Frames.data(CLIENT_ID, INCARNATION, 1, 1_000, 1, "before".getBytes()),
                V1Frames.traceContext(CLIENT_ID, INCARNATION, 2, 0, 0, 1, 2, 3, new byte[0]),
                V1Frames.request(CLIENT_ID, INCARNATION, 2, 1_001, 1, "question".getBytes()),
                V1Frames.traceContext(CLIENT_ID, INCARNATION, 3, 0, 1, 4, 5, 6, new byte[0]),
                V1Frames.fragment(CLIENT_ID, INCARNATION, 3, 1_002, 1, 30, 0, 2, 0, new byte[15]));
    }

    @Test
    void aSignedDatagramWithATraceContextVerifiesAtRevision4AndRevision4sSignedDatagramsVerifyHere() {
        FrameAuthenticator current = new FrameAuthenticator(Map.of(9, KEY), 9);
        FrozenRevision4Codec.FrameAuthenticator revision4 = new FrozenRevision4Codec.FrameAuthenticator(Map.of(9, KEY), 9);
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendTraceContext(2, 1, 7, 8, 9, "k=v".getBytes(), FrameAuthenticator.TRAILER_LENGTH);
        writer.tryAppendData(2, 1_001, 1, new byte[100], FrameAuthenticator.TRAILER_LENGTH);
        ByteBuffer ours = withTrailerRoom(bytes(writer.finish()));
        current.sign(ours);
        assertThat(revision4.verify(ours)).as("verifies at revision 4, which then skips the trace context").isNull();
        assertThat(readRevision4(bytes(ours))).containsExactly("SKIPPED 0x45 " + (WireFormat.TRACE_CONTEXT_MIN_BODY_LENGTH + 3),
                "DATA 2 1001 1 " + HexFormat.of().formatHex(new byte[100]));

        for (Frames frames : everyFrameRevision4Knows()) {
            ByteBuffer theirs = withTrailerRoom(writeRevision4(frames));
            revision4.sign(theirs);
            ByteBuffer same = withTrailerRoom(writeCurrent(frames));
            current.sign(same);
            assertThat(same).isEqualTo(theirs);
            assertThat(current.verify(theirs)).isNull();
        }
    }

    private static ByteBuffer withTrailerRoom(byte[] plain) {
        ByteBuffer buffer = ByteBuffer.allocate(plain.length + FrameAuthenticator.TRAILER_LENGTH);
        buffer.put(plain).flip();
        return buffer;
    }

    private static byte[] bytes(ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.duplicate().get(bytes);
        return bytes;
    }
}
