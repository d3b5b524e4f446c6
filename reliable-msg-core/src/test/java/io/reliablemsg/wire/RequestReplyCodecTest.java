package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The REQUEST and REPLY frames (revision 3): layout, round trips at the edges, what the reader refuses. */
class RequestReplyCodecTest {
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
    void writesTheDocumentedRequestLayout() {
        byte[] bytes = write(w -> w.tryAppendRequest(0x2122232425262728L, 0x3132333435363738L, 5,
                new byte[] {9, 8, 7}, 0));
        ByteBuffer d = ByteBuffer.wrap(bytes);
        int at = WireFormat.HEADER_LENGTH;
        assertThat(bytes).hasSize(WireFormat.HEADER_LENGTH + 24 + 3);
        assertThat(d.get(at) & 0xFF).isEqualTo(0x41);
        assertThat(d.get(at + 1)).isZero();
        assertThat(d.getShort(at + 2)).isEqualTo((short) (20 + 3));
        assertThat(d.get(at + 4)).isEqualTo((byte) 5);
        assertThat(d.get(at + 5)).isZero();
        assertThat(d.getShort(at + 6)).isZero();
        assertThat(d.getLong(at + 8)).isEqualTo(0x2122232425262728L);
        assertThat(d.getLong(at + 16)).isEqualTo(0x3132333435363738L);
        assertThat(Arrays.copyOfRange(bytes, at + 24, bytes.length)).containsExactly(9, 8, 7);
        assertThat(bytes).isEqualTo(new RawDatagram(CLIENT_ID, INCARNATION)
                .request(0x2122232425262728L, 0x3132333435363738L, 5, new byte[] {9, 8, 7}).bytes());
    }

    @Test
    void writesTheDocumentedReplyLayout() {
        byte[] bytes = write(w -> w.tryAppendReply(0xA1A2A3A4, 0xB1B2B3B4B5B6B7B8L, 0xC1C2C3C4C5C6C7C8L,
                0xD1D2D3D4D5D6D7D8L, 0xE1E2E3E4E5E6E7E8L, false, new byte[] {1, 2}, 0));
        ByteBuffer d = ByteBuffer.wrap(bytes);
        int at = WireFormat.HEADER_LENGTH;
        assertThat(bytes).hasSize(WireFormat.HEADER_LENGTH + 40 + 2);
        assertThat(d.get(at) & 0xFF).isEqualTo(0x42);
        assertThat(d.get(at + 1)).isZero();
        assertThat(d.getShort(at + 2)).isEqualTo((short) (36 + 2));
        assertThat(d.getInt(at + 4)).isEqualTo(0xA1A2A3A4);
        assertThat(d.getLong(at + 8)).isEqualTo(0xB1B2B3B4B5B6B7B8L);
        assertThat(d.getLong(at + 16)).isEqualTo(0xC1C2C3C4C5C6C7C8L);
        assertThat(d.getLong(at + 24)).isEqualTo(0xD1D2D3D4D5D6D7D8L);
        assertThat(d.getLong(at + 32)).isEqualTo(0xE1E2E3E4E5E6E7E8L);
        assertThat(Arrays.copyOfRange(bytes, at + 40, bytes.length)).containsExactly(1, 2);
        byte[] noReply = write(w -> w.tryAppendReply(1, 2, 3, 4, 5, true, new byte[0], 0));
        assertThat(noReply[at + 1]).isEqualTo((byte) WireFormat.REPLY_FLAG_NO_REPLY);
        assertThat(noReply).hasSize(WireFormat.HEADER_LENGTH + 40);
    }

    @Test
    void roundTripsRequestsAndRepliesAtTheEdgesOfEveryField() {
        byte[] big = new byte[WireFormat.MAX_UDP_PAYLOAD - WireFormat.HEADER_LENGTH - WireFormat.REPLY_HEADER_LENGTH];
        Arrays.fill(big, (byte) 0x33);
        for (long value : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            for (int transmissions : new int[] {1, 2, 255, 300}) {
                byte[] request = write(w -> w.tryAppendRequest(value, value, transmissions, new byte[0], 0));
                assertThat(V1Frames.readNew(request)).containsExactly(V1Frames.request(CLIENT_ID, INCARNATION, value,
                        value, Math.min(transmissions, 255), new byte[0]));
            }
            byte[] reply = write(w -> w.tryAppendReply((int) value, value, value, value, value, false, big, 0));
            assertThat(V1Frames.readNew(reply)).containsExactly(V1Frames.reply(CLIENT_ID, INCARNATION, (int) value,
                    value, value, value, value, false, big));
        }
        byte[] bundled = write(w -> w.tryAppendData(1, 2, 1, "d".getBytes(), 0)
                && w.tryAppendRequest(3, 4, 1, "q".getBytes(), 0) && w.tryAppendAck(5, 6, 7, 8, 9, 1, 0)
                && w.tryAppendReply(10, 11, 12, 13, 14, true, new byte[0], 0));
        assertThat(V1Frames.readNew(bundled)).containsExactly(
                V1Frames.data(CLIENT_ID, INCARNATION, 1, 2, 1, "d".getBytes()),
                V1Frames.request(CLIENT_ID, INCARNATION, 3, 4, 1, "q".getBytes()),
                V1Frames.ack(CLIENT_ID, INCARNATION, 5, 6, 7, 8, 9, 1),
                V1Frames.reply(CLIENT_ID, INCARNATION, 10, 11, 12, 13, 14, true, new byte[0]));
    }

    @Test
    void writerRefusesWhatDoesNotFitAndWritesNothing() {
        DatagramWriter writer = new DatagramWriter(200);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        int room = 200 - WireFormat.HEADER_LENGTH;
        assertThat(writer.tryAppendRequest(1, 2, 1, new byte[room - 24 + 1], 0)).isFalse();
        assertThat(writer.tryAppendReply(1, 2, 3, 4, 5, false, new byte[room - 40 + 1], 0)).isFalse();
        assertThat(writer.tryAppendReply(1, 2, 3, 4, 5, false, new byte[room - 40 - 31], 32)).isFalse();
        assertThat(writer.frameCount()).isZero();
        assertThat(writer.length()).isEqualTo(WireFormat.HEADER_LENGTH);
        assertThat(writer.tryAppendRequest(1, 2, 1, new byte[room - 24], 0)).isTrue();
        assertThat(writer.length()).isEqualTo(200);
    }

    @Test
    void neitherGoesIntoADatagramHoldingCapabilities() {
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(CLIENT_ID, INCARNATION, 0);
        writer.tryAppendCapabilities(3, WireFormat.FEATURES, true, 0);
        assertThatIllegalStateException().isThrownBy(() -> writer.tryAppendRequest(1, 2, 1, new byte[0], 0));
        assertThatIllegalStateException().isThrownBy(() -> writer.tryAppendReply(1, 2, 3, 4, 5, false, new byte[0], 0));
    }

    @Test
    void aBodyShorterThanItsFieldsIsMalformedAndOneLongerCarriesThePayload() {
        for (int type : new int[] {WireFormat.TYPE_REQUEST, WireFormat.TYPE_REPLY}) {
            int fields = type == WireFormat.TYPE_REQUEST ? WireFormat.REQUEST_MIN_BODY_LENGTH
                    : WireFormat.REPLY_MIN_BODY_LENGTH;
            for (int length = 0; length < fields; length++) {
                byte[] datagram = new RawDatagram(CLIENT_ID, INCARNATION).data(1, 2, 1, "x".getBytes())
                        .optional(type, 0, new byte[length]).bytes();
                assertThat(V1Frames.readNew(datagram)).as("type 0x%x, body %d", type, length)
                        .containsExactly("rejected: BAD_FIELD");
            }
        }
        // flags and reserved fields this revision does not define are ignored, as in every optional frame
        byte[] body = new byte[WireFormat.REQUEST_MIN_BODY_LENGTH + 2];
        Arrays.fill(body, (byte) 0xFF);
        body[0] = 3;
        byte[] datagram = new RawDatagram(CLIENT_ID, INCARNATION).optional(WireFormat.TYPE_REQUEST, 0xFE, body).bytes();
        assertThat(V1Frames.readNew(datagram)).containsExactly(V1Frames.request(CLIENT_ID, INCARNATION, -1, -1, 3,
                new byte[] {-1, -1}));
    }

    @Test
    void everyTruncationIsRejectedAndNothingIsVisited() {
        byte[] full = write(w -> w.tryAppendRequest(1, 2, 1, "abc".getBytes(), 0)
                && w.tryAppendReply(1, 2, 3, 4, 5, false, "xyz".getBytes(), 0));
        for (int cut = WireFormat.HEADER_LENGTH; cut < full.length; cut++) {
            java.util.List<String> read = V1Frames.readNew(Arrays.copyOf(full, cut));
            assertThat(read).as("cut at %d", cut).hasSize(1);
            assertThat(read.get(0)).startsWith("rejected: ");
        }
    }
}
