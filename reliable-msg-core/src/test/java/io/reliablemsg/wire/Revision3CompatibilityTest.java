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
 * The release of revision 4 (and this one, revision 5) against the frozen revision 3 codec ({@link FrozenRevision3Codec}), both
 * directions: the compatibility promise of docs/PROTOCOL.md, "Wire evolution", 7.6, for the release that adds
 * FRAGMENT and FRAGMENT_ACK. Revision 3 writes every frame it knows byte for byte as this release does; it
 * reads this release's CAPABILITIES, revision 4 and the fragments bit included, as written; it skips a
 * FRAGMENT and a FRAGMENT_ACK by their length and reads the frames around them (which is why they go only to
 * peers that advertised {@link WireFormat#FEATURE_FRAGMENTS}); signed datagrams verify both ways.
 */
class Revision3CompatibilityTest {
    private static final int CLIENT_ID = 0x0BADF00D;
    private static final long INCARNATION = 0x0102030405060708L;
    private static final byte[] KEY = "fedcba9876543210fedcba9876543210".getBytes();

    /** Appends the same frames through either writer. */
    private interface Frames {
        void write(DatagramWriter current);

        void write(FrozenRevision3Codec.DatagramWriter revision3);
    }

    private static List<Frames> everyFrameRevision3Knows() {
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
                both(w -> w.tryAppendCapabilities(3, 0b11, true, 0), w -> w.tryAppendCapabilities(3, 0b11, true, 0)));
    }

    private static Frames both(Consumer<DatagramWriter> current, Consumer<FrozenRevision3Codec.DatagramWriter> old) {
        return new Frames() {
            @Override
            public void write(DatagramWriter w) {
                current.accept(w);
            }

            @Override
            public void write(FrozenRevision3Codec.DatagramWriter w) {
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

    private static byte[] writeRevision3(Frames frames) {
        FrozenRevision3Codec.DatagramWriter writer = new FrozenRevision3Codec.DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        frames.write(writer);
        return bytes(writer.finish());
    }

    /** What the frozen revision 3 reader visits, one line per frame, or its error. */
    static List<String> readRevision3(byte[] datagram) {
        List<String> seen = new ArrayList<>();
        FrozenRevision3Codec.DecodeError error = FrozenRevision3Codec.DatagramReader.read(ByteBuffer.wrap(datagram),
                seen, new FrozenRevision3Codec.FrameVisitor<List<String>>() {
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
    void everyFrameRevision3KnowsIsWrittenByteForByteAsRevision3WritesItAndReadAlikeBothWays() {
        for (Frames frames : everyFrameRevision3Knows()) {
            byte[] written = writeCurrent(frames);
            assertThat(written).isEqualTo(writeRevision3(frames));
            assertThat(V1Frames.readNew(written)).isNotEmpty().noneMatch(line -> line.startsWith("rejected"));
            assertThat(readRevision3(written)).isNotEmpty().noneMatch(line -> line.startsWith("rejected"));
        }
    }

    @Test
    void revision3ReadsThisReleasesCapabilitiesAsWrittenAndThisReleaseReadsRevision3s() {
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendCapabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, true, 0);
        assertThat(WireFormat.PROTOCOL_REVISION).isEqualTo(5);
        assertThat(readRevision3(bytes(writer.finish()))).containsExactly("CAPABILITIES 5 f true");

        FrozenRevision3Codec.DatagramWriter old = new FrozenRevision3Codec.DatagramWriter(1500);
        old.begin(CLIENT_ID, INCARNATION, 0);
        old.tryAppendCapabilities(FrozenRevision3Codec.WireFormat.PROTOCOL_REVISION,
                FrozenRevision3Codec.WireFormat.FEATURES, false, 0);
        assertThat(V1Frames.readNew(bytes(old.finish()))).containsExactly(V1Frames.capabilities(CLIENT_ID, INCARNATION,
                3, WireFormat.FEATURE_OPTIONAL_FRAMES | WireFormat.FEATURE_REQUEST_REPLY, false));
    }

    @Test
    void revision3SkipsAFragmentAndAFragmentAckByTheirLengthAndReadsTheFramesAroundThem() {
        byte[] message = "a message of some length".getBytes();
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendData(1, 1_000, 1, "before".getBytes(), 0);
        writer.tryAppendFragment(2, 1_001, 3, message, 1, 3, 10, 10, 0);
        writer.tryAppendFragmentAck(7, 70L, 3, 1_002, 1_003, 2, 0);
        writer.tryAppendData(5, 1_006, 1, "after".getBytes(), 0);
        byte[] datagram = bytes(writer.finish());

        assertThat(readRevision3(datagram)).containsExactly(
                "DATA 1 1000 1 " + HexFormat.of().formatHex("before".getBytes()),
                "SKIPPED 0x43 " + (WireFormat.FRAGMENT_MIN_BODY_LENGTH + 10),
                "SKIPPED 0x44 " + WireFormat.FRAGMENT_ACK_BODY_LENGTH,
                "DATA 5 1006 1 " + HexFormat.of().formatHex("after".getBytes()));
        byte[] piece = java.util.Arrays.copyOfRange(message, 10, 20);
        assertThat(V1Frames.readNew(datagram)).containsExactly(
                V1Frames.data(CLIENT_ID, INCARNATION, 1, 1_000, 1, "before".getBytes()),
                V1Frames.fragment(CLIENT_ID, INCARNATION, 2, 1_001, 3, message.length, 1, 3, 10, piece),
                V1Frames.fragmentAck(CLIENT_ID, INCARNATION, 7, 70L, 3, 1_002, 1_003, 2),
                V1Frames.data(CLIENT_ID, INCARNATION, 5, 1_006, 1, "after".getBytes()));
    }

    @Test
    void aSignedDatagramWithFragmentsVerifiesAtRevision3AndRevision3sSignedDatagramsVerifyHere() {
        FrameAuthenticator current = new FrameAuthenticator(Map.of(9, KEY), 9);
        FrozenRevision3Codec.FrameAuthenticator revision3 = new FrozenRevision3Codec.FrameAuthenticator(Map.of(9, KEY), 9);
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendFragment(2, 1_001, 1, new byte[100], 0, 2, 0, 50, FrameAuthenticator.TRAILER_LENGTH);
        ByteBuffer ours = withTrailerRoom(bytes(writer.finish()));
        current.sign(ours);
        assertThat(revision3.verify(ours)).as("verifies at revision 3, which then skips the fragment").isNull();

        for (Frames frames : everyFrameRevision3Knows()) {
            ByteBuffer theirs = withTrailerRoom(writeRevision3(frames));
            revision3.sign(theirs);
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
