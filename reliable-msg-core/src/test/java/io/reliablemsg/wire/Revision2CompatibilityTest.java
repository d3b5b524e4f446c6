package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.V1Frames.Ack;
import io.reliablemsg.wire.V1Frames.Data;
import io.reliablemsg.wire.V1Frames.Frame;
import io.reliablemsg.wire.V1Frames.Ping;
import io.reliablemsg.wire.V1Frames.Pong;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * This release (revision 3) against the frozen revision 2 codec ({@link FrozenRevision2Codec}), both
 * directions: the compatibility promise of docs/PROTOCOL.md, "Wire evolution", 7.6, for the release
 * that adds REQUEST and REPLY. Revision 2 writes and reads every frame it knows exactly as this release
 * does; it skips a REQUEST or a REPLY by its length (which is why they go only to peers that advertised
 * {@link WireFormat#FEATURE_REQUEST_REPLY}); it reads this release's CAPABILITIES, revision 3 and the
 * new feature bit included, as written.
 */
class Revision2CompatibilityTest {
    private static final int CLIENT_ID = 0x0BADF00D;
    private static final long INCARNATION = 0x0102030405060708L;
    private static final byte[] KEY = "fedcba9876543210fedcba9876543210".getBytes();

    private static List<List<Frame>> datagrams() {
        byte[] kilobyte = new byte[1024];
        Arrays.fill(kilobyte, (byte) 0x5A);
        return List.of(
                List.of(new Data(1, 1_700_000_000_123L, 1, new byte[0])),
                List.of(new Data(Long.MAX_VALUE, Long.MIN_VALUE, 255, kilobyte)),
                List.of(new Ack(-1, -1L, Long.MAX_VALUE, 0, -1L, 255)),
                List.of(new Ping(1_700_000_000_200L), new Pong(1_700_000_000_200L, 1_700_000_000_201L)),
                List.of(new Data(9, 1_800_000_000_000L, 3, "hello".getBytes()),
                        new Ack(3, 4L, 8, 1_800_000_000_000L, 1_800_000_000_001L, 2),
                        new Data(10, 1_800_000_000_005L, 1, kilobyte)));
    }

    private static byte[] writeRevision2(List<Frame> frames) {
        FrozenRevision2Codec.DatagramWriter writer = new FrozenRevision2Codec.DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        for (Frame frame : frames) {
            boolean fits;
            if (frame instanceof Data d) {
                fits = writer.tryAppendData(d.msgId(), d.sendTimeMillis(), d.transmissions(), d.payload(), 0);
            } else if (frame instanceof Ack a) {
                fits = writer.tryAppendAck(a.originClientId(), a.originIncarnation(), a.msgId(),
                        a.echoedSendTimeMillis(), a.ackTimeMillis(), a.transmissions(), 0);
            } else if (frame instanceof Ping p) {
                fits = writer.tryAppendPing(p.sendTimeMillis(), 0);
            } else {
                Pong p = (Pong) frame;
                fits = writer.tryAppendPong(p.echoedSendTimeMillis(), p.pongTimeMillis(), 0);
            }
            assertThat(fits).isTrue();
        }
        return bytes(writer.finish());
    }

    @Test
    void everyFrameRevision2KnowsIsWrittenByteForByteAsRevision2WritesItAndReadAlikeBothWays() {
        for (List<Frame> frames : datagrams()) {
            byte[] written = V1Frames.writeNew(CLIENT_ID, INCARNATION, frames);
            assertThat(written).as("%s", frames).isEqualTo(writeRevision2(frames));
            List<String> expected = V1Frames.expected(CLIENT_ID, INCARNATION, frames);
            assertThat(V1Frames.readRevision2(written)).isEqualTo(expected);
            assertThat(V1Frames.readNew(writeRevision2(frames))).isEqualTo(expected);
        }
    }

    @Test
    void capabilitiesOfEitherRevisionAreReadAsWrittenByTheOther() {
        for (boolean answerRequested : new boolean[] {true, false}) {
            byte[] ours = capabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, answerRequested);
            // revision 2 reads this revision and its feature bits as given; it ignores bits it does not know
            assertThat(V1Frames.readRevision2(ours)).containsExactly(V1Frames.capabilities(CLIENT_ID, INCARNATION,
                    WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, answerRequested));
            FrozenRevision2Codec.DatagramWriter writer = new FrozenRevision2Codec.DatagramWriter(1500);
            writer.begin(CLIENT_ID, INCARNATION, 0);
            writer.tryAppendCapabilities(FrozenRevision2Codec.WireFormat.PROTOCOL_REVISION,
                    FrozenRevision2Codec.WireFormat.FEATURES, answerRequested, 0);
            byte[] theirs = bytes(writer.finish());
            assertThat(V1Frames.readNew(theirs)).containsExactly(V1Frames.capabilities(CLIENT_ID, INCARNATION, 2,
                    WireFormat.FEATURE_OPTIONAL_FRAMES, answerRequested));
        }
    }

    @Test
    void revision2SkipsARequestAndAReplyByTheirLengthAndReadsTheFramesAroundThem() {
        byte[] datagram = new RawDatagram(CLIENT_ID, INCARNATION)
                .data(1, 1_000, 1, "before".getBytes())
                .request(2, 1_001, 4, "question".getBytes())
                .reply(7, 70L, 3, 1_002, 1_003, false, "answer".getBytes())
                .reply(7, 70L, 4, 1_004, 1_005, true, new byte[0])
                .data(5, 1_006, 1, "after".getBytes())
                .bytes();
        assertThat(V1Frames.readRevision2(datagram)).containsExactly(
                V1Frames.data(CLIENT_ID, INCARNATION, 1, 1_000, 1, "before".getBytes()),
                V1Frames.unknownOptional(CLIENT_ID, INCARNATION, WireFormat.TYPE_REQUEST, 20 + 8),
                V1Frames.unknownOptional(CLIENT_ID, INCARNATION, WireFormat.TYPE_REPLY, 36 + 6),
                V1Frames.unknownOptional(CLIENT_ID, INCARNATION, WireFormat.TYPE_REPLY, 36),
                V1Frames.data(CLIENT_ID, INCARNATION, 5, 1_006, 1, "after".getBytes()));
        assertThat(V1Frames.readNew(datagram)).containsExactly(
                V1Frames.data(CLIENT_ID, INCARNATION, 1, 1_000, 1, "before".getBytes()),
                V1Frames.request(CLIENT_ID, INCARNATION, 2, 1_001, 4, "question".getBytes()),
                V1Frames.reply(CLIENT_ID, INCARNATION, 7, 70L, 3, 1_002, 1_003, false, "answer".getBytes()),
                V1Frames.reply(CLIENT_ID, INCARNATION, 7, 70L, 4, 1_004, 1_005, true, new byte[0]),
                V1Frames.data(CLIENT_ID, INCARNATION, 5, 1_006, 1, "after".getBytes()));
        // version 1 drops the whole datagram: a reason more never to send these to a peer that did not ask
        assertThat(V1Frames.readV1(datagram)).containsExactly("rejected: BAD_FIELD");
    }

    @Test
    void signedDatagramsVerifyAcrossRevisionsBothWays() {
        FrameAuthenticator current = new FrameAuthenticator(Map.of(9, KEY), 9);
        FrozenRevision2Codec.FrameAuthenticator revision2 = new FrozenRevision2Codec.FrameAuthenticator(Map.of(9, KEY), 9);
        for (List<Frame> frames : datagrams()) {
            ByteBuffer signedByNew = withTrailerRoom(V1Frames.writeNew(CLIENT_ID, INCARNATION, frames));
            current.sign(signedByNew);
            ByteBuffer signedByOld = withTrailerRoom(writeRevision2(frames));
            revision2.sign(signedByOld);
            assertThat(signedByNew).isEqualTo(signedByOld);
            assertThat(revision2.verify(signedByNew)).isNull();
            assertThat(current.verify(signedByOld)).isNull();
        }
        ByteBuffer request = withTrailerRoom(new RawDatagram(CLIENT_ID, INCARNATION)
                .request(1, 2, 1, "signed question".getBytes()).bytes());
        current.sign(request);
        assertThat(revision2.verify(request)).as("a signed REQUEST verifies at revision 2, which then skips it")
                .isNull();
    }

    private static byte[] capabilities(int revision, long features, boolean answerRequested) {
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        assertThat(writer.tryAppendCapabilities(revision, features, answerRequested, 0)).isTrue();
        return bytes(writer.finish());
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
