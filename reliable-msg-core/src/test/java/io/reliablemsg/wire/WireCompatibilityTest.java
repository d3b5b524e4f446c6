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

    private static ByteBuffer withTrailerRoom(byte[] plain) {
        ByteBuffer buffer = ByteBuffer.allocate(plain.length + FrameAuthenticator.TRAILER_LENGTH);
        buffer.put(plain).flip();
        return buffer;
    }

    private static byte[] remaining(ByteBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }
}
