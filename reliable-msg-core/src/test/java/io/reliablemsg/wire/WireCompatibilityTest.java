package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.V1Frames.Ack;
import io.reliablemsg.wire.V1Frames.Data;
import io.reliablemsg.wire.V1Frames.Frame;
import io.reliablemsg.wire.V1Frames.Ping;
import io.reliablemsg.wire.V1Frames.Pong;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * This release against the frozen version 1 codec ({@link FrozenV1Codec}), both directions: the
 * compatibility promise of docs/PROTOCOL.md, "Wire evolution" (revision N talks with revision N-1).
 */
class WireCompatibilityTest {
    private static final int CLIENT_ID = 0xCAFEBABE;
    private static final long INCARNATION = 0x1122334455667788L;
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    /** Datagrams of version 1 frames: each kind alone, extremes of every field, and bundles. */
    private static List<List<Frame>> version1Datagrams() {
        List<Frame> manyAcks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            manyAcks.add(new Ack(7, 99L, 1_000 + i, 1_700_000_000_000L + i, 1_700_000_000_050L + i, 1 + i % 11));
        }
        byte[] kilobyte = new byte[1024];
        for (int i = 0; i < kilobyte.length; i++) {
            kilobyte[i] = (byte) (i * 31);
        }
        return List.of(
                List.of(new Data(1, 1_700_000_000_123L, 1, new byte[0])),
                List.of(new Data(Long.MAX_VALUE, Long.MIN_VALUE, 255, kilobyte)),
                List.of(new Data(42, 5, 300, "clamped to 255 transmissions".getBytes())),
                List.of(new Ack(-1, -1L, Long.MAX_VALUE, 0, -1L, 255)),
                List.of(new Ping(1_700_000_000_200L)),
                List.of(new Pong(1_700_000_000_200L, 1_700_000_000_201L)),
                List.of(new Data(9, 1_800_000_000_000L, 3, "hello".getBytes()),
                        new Ack(3, 4L, 8, 1_800_000_000_000L, 1_800_000_000_001L, 2),
                        new Ping(1_800_000_000_002L),
                        new Pong(1_800_000_000_003L, 1_800_000_000_004L),
                        new Data(10, 1_800_000_000_005L, 1, kilobyte)),
                manyAcks);
    }

    @Test
    void newWriterWritesEveryVersion1FrameByteForByteAsVersion1Does() {
        for (List<Frame> frames : version1Datagrams()) {
            assertThat(V1Frames.writeNew(CLIENT_ID, INCARNATION, frames))
                    .as("%s", frames).isEqualTo(V1Frames.writeV1(CLIENT_ID, INCARNATION, frames));
        }
    }

    @Test
    void version1ReadsWhatTheNewWriterWritesAsTheFramesWritten() {
        for (List<Frame> frames : version1Datagrams()) {
            byte[] written = V1Frames.writeNew(CLIENT_ID, INCARNATION, frames);
            List<String> expected = V1Frames.expected(CLIENT_ID, INCARNATION, frames);
            assertThat(expected).hasSize(frames.size());
            assertThat(V1Frames.readV1(written)).isEqualTo(expected);
            assertThat(V1Frames.readNew(written)).isEqualTo(expected);
        }
    }

    @Test
    void newReaderReadsWhatVersion1WritesAsTheFramesWritten() {
        for (List<Frame> frames : version1Datagrams()) {
            byte[] written = V1Frames.writeV1(CLIENT_ID, INCARNATION, frames);
            assertThat(V1Frames.readNew(written)).isEqualTo(V1Frames.expected(CLIENT_ID, INCARNATION, frames));
        }
    }

    @Test
    void signedDatagramsVerifyAndReadAcrossVersionsBothWays() {
        FrameAuthenticator current = new FrameAuthenticator(Map.of(3, KEY), 3);
        FrozenV1Codec.FrameAuthenticator version1 = new FrozenV1Codec.FrameAuthenticator(Map.of(3, KEY), 3);
        for (List<Frame> frames : version1Datagrams()) {
            List<String> expected = V1Frames.expected(CLIENT_ID, INCARNATION, frames);

            ByteBuffer signedByNew = withTrailerRoom(V1Frames.writeNew(CLIENT_ID, INCARNATION, frames));
            current.sign(signedByNew);
            ByteBuffer signedByV1 = withTrailerRoom(V1Frames.writeV1(CLIENT_ID, INCARNATION, frames));
            version1.sign(signedByV1);
            assertThat(signedByNew).isEqualTo(signedByV1); // same bytes, trailer included

            assertThat(version1.verify(signedByNew)).isNull();
            assertThat(V1Frames.readV1(remaining(signedByNew))).isEqualTo(expected);
            assertThat(current.verify(signedByV1)).isNull();
            assertThat(V1Frames.readNew(remaining(signedByV1))).isEqualTo(expected);
        }
    }

    @Test
    void version1DropsACapabilitiesDatagramAsMalformedYetAcceptsDataSentApart() {
        for (boolean answerRequested : new boolean[] {true, false}) {
            byte[] capabilities = capabilities(answerRequested);
            // Version 1 checks a core frame's reserved u16 before its type: there the optional head
            // carries the body length (12), so it says BAD_FIELD, not UNKNOWN_FRAME_TYPE. Malformed
            // either way: the datagram is dropped whole and counted, nothing visited.
            assertThat(V1Frames.readV1(capabilities)).containsExactly("rejected: BAD_FIELD");
            assertThat(V1Frames.readNew(capabilities)).containsExactly(V1Frames.capabilities(CLIENT_ID, INCARNATION,
                    WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, answerRequested));
        }
        List<Frame> data = List.of(new Data(7, 1_700_000_000_000L, 1, "after the probe".getBytes()));
        assertThat(V1Frames.readV1(V1Frames.writeNew(CLIENT_ID, INCARNATION, data)))
                .isEqualTo(V1Frames.expected(CLIENT_ID, INCARNATION, data));
    }

    @Test
    void version1DropsEveryFrameOfADatagramThatAlsoHoldsAnOptionalFrameWhichIsWhyCapabilitiesTravelsAlone() {
        byte[] bundled = new RawDatagram(CLIENT_ID, INCARNATION)
                .data(1, 1_000, 1, "first".getBytes())
                .capabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, true)
                .data(2, 1_001, 1, "second".getBytes())
                .bytes();
        assertThat(V1Frames.readV1(bundled)).containsExactly("rejected: BAD_FIELD");
        assertThat(V1Frames.readNew(bundled)).containsExactly(
                V1Frames.data(CLIENT_ID, INCARNATION, 1, 1_000, 1, "first".getBytes()),
                V1Frames.capabilities(CLIENT_ID, INCARNATION, WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, true),
                V1Frames.data(CLIENT_ID, INCARNATION, 2, 1_001, 1, "second".getBytes()));
    }

    @Test
    void newReaderSkipsEveryUnknownOptionalTypeBetweenDataFramesVisitingBoth() {
        for (int type = WireFormat.TYPE_TRACE_CONTEXT + 1; type <= 0x7F; type++) {
            byte[] body = new byte[type % 9]; // 0 to 8 bytes, contents the reader must not care about
            Arrays.fill(body, (byte) 0xFF);
            byte[] datagram = new RawDatagram(CLIENT_ID, INCARNATION)
                    .data(1, 1_000, 1, "before".getBytes())
                    .optional(type, 0xFF, body)
                    .data(2, 1_001, 2, "after".getBytes())
                    .bytes();
            assertThat(V1Frames.readNew(datagram)).as("type 0x%x", type).containsExactly(
                    V1Frames.data(CLIENT_ID, INCARNATION, 1, 1_000, 1, "before".getBytes()),
                    V1Frames.unknownOptional(CLIENT_ID, INCARNATION, type, body.length),
                    V1Frames.data(CLIENT_ID, INCARNATION, 2, 1_001, 2, "after".getBytes()));
        }
    }

    @Test
    void newReaderDropsUnknownCoreTypesAndReservedTypesAsVersion1Does() {
        byte[] data = V1Frames.writeNew(CLIENT_ID, INCARNATION, List.of(new Data(1, 1_000, 1, "x".getBytes())));
        for (int type = 0; type <= 0xFF; type++) {
            if ((type >= 1 && type <= 4) || (type >= 0x40 && type <= 0x7F)) {
                continue; // the known core types, and the optional range (written out, not asked of the code)
            }
            byte[] unknown = data.clone();
            unknown[WireFormat.HEADER_LENGTH + WireFormat.FRAME_TYPE_OFFSET] = (byte) type;
            assertThat(V1Frames.readNew(unknown)).as("type 0x%x", type).containsExactly("rejected: UNKNOWN_FRAME_TYPE");
            assertThat(V1Frames.readV1(unknown)).as("type 0x%x", type).containsExactly("rejected: UNKNOWN_FRAME_TYPE");
        }
    }

    @Test
    void optionalFrameWhoseBodyRunsPastTheDatagramIsTruncatedAndNothingIsVisited() {
        byte[] body = new byte[12];
        for (int type : new int[] {WireFormat.TYPE_CAPABILITIES, 0x41, 0x7F}) {
            for (int announced = body.length + 1; announced <= WireFormat.MAX_OPTIONAL_FRAME_BODY_LENGTH;
                 announced += announced < 64 ? 1 : 997) {
                byte[] datagram = new RawDatagram(CLIENT_ID, INCARNATION)
                        .data(1, 1_000, 1, "kept only if all is well".getBytes())
                        .optional(type, 0, announced, body)
                        .bytes();
                assertThat(V1Frames.readNew(datagram)).as("type 0x%x announcing %d", type, announced)
                        .containsExactly("rejected: TRUNCATED");
            }
            byte[] whole = new RawDatagram(CLIENT_ID, INCARNATION).optional(type, 0, body).bytes();
            for (int cut = WireFormat.HEADER_LENGTH + 1; cut < whole.length; cut++) { // inside the head or the body
                assertThat(V1Frames.readNew(Arrays.copyOf(whole, cut))).as("type 0x%x cut at %d", type, cut)
                        .containsExactly("rejected: TRUNCATED");
            }
        }
    }

    @Test
    void version1VerifiesASignedCapabilitiesDatagramThenDropsItAsMalformedNotAsAnAuthenticationFailure() {
        FrameAuthenticator current = new FrameAuthenticator(Map.of(3, KEY), 3);
        FrozenV1Codec.FrameAuthenticator version1 = new FrozenV1Codec.FrameAuthenticator(Map.of(3, KEY), 3);
        ByteBuffer signed = withTrailerRoom(capabilities(true));
        current.sign(signed);
        assertThat(version1.verify(signed)).isNull();
        assertThat(V1Frames.readV1(remaining(signed))).containsExactly("rejected: BAD_FIELD");
    }

    private static byte[] capabilities(boolean answerRequested) {
        DatagramWriter writer = new DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        assertThat(writer.tryAppendCapabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, answerRequested, 0))
                .isTrue();
        ByteBuffer datagram = writer.finish();
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        return bytes;
    }

    private static ByteBuffer withTrailerRoom(byte[] plain) {
        ByteBuffer buffer = ByteBuffer.allocate(plain.length + FrameAuthenticator.TRAILER_LENGTH);
        buffer.put(plain).flip();
        return buffer;
    }

    private static byte[] remaining(ByteBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }
}
