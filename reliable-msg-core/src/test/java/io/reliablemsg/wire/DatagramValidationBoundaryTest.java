package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The length checks of {@link DatagramReader#validate}, each at the byte on both sides: a header is
 * 20 bytes (19 is truncated; 1 byte cannot show a bad magic, 2 can), a core frame cut inside its fixed
 * part is truncated (DATA inside its 24-byte header, ACK below 40 bytes, PING below 16, PONG below 24),
 * a PING or PONG with its reserved field set is a bad field; and every check works on the bytes from
 * the buffer's position, as when a datagram sits after other bytes in a receive buffer.
 */
class DatagramValidationBoundaryTest {
    private static final int H = WireFormat.HEADER_LENGTH;

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] header(int frames) {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(1, 2, 0);
        w.tryAppendPing(5, 0);
        byte[] b = bytes(w.finish());
        ByteBuffer.wrap(b).putShort(WireFormat.FRAME_COUNT_OFFSET, (short) frames);
        return b;
    }

    private static byte[] one(String frame) {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(1, 2, 0);
        switch (frame) {
            case "data" -> w.tryAppendData(7, 100, 1, new byte[] {1, 2, 3}, 0);
            case "ack" -> w.tryAppendAck(3, 4, 7, 100, 101, 1, 0);
            case "ping" -> w.tryAppendPing(100, 0);
            case "pong" -> w.tryAppendPong(100, 101, 0);
            default -> throw new IllegalArgumentException(frame);
        }
        return bytes(w.finish());
    }

    /** {@code datagram} cut to {@code length} bytes, placed at {@code offset} in a larger buffer. */
    private static DecodeError validate(byte[] datagram, int length, int offset) {
        ByteBuffer b = ByteBuffer.allocate(offset + length + 64);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0x5A); // bytes around the datagram that must not be read
        }
        b.put(offset, datagram, 0, length);
        b.position(offset).limit(offset + length);
        return DatagramReader.validate(b);
    }

    private static DecodeError validateBoth(byte[] datagram, int length) {
        DecodeError atZero = validate(datagram, length, 0);
        assertThat(validate(datagram, length, 37)).as("the same bytes after 37 others").isEqualTo(atZero);
        return atZero;
    }

    @Test
    void aHeaderIsTwentyBytesAndNineteenAreTruncated() {
        byte[] ping = one("ping");
        assertThat(validateBoth(ping, ping.length)).isNull();
        assertThat(validateBoth(ping, H - 1)).isEqualTo(DecodeError.TRUNCATED);
        assertThat(validateBoth(ping, H)).as("header whose frame is missing").isEqualTo(DecodeError.TRUNCATED);
        assertThat(validateBoth(header(0), H)).as("no frames").isEqualTo(DecodeError.BAD_FIELD);
    }

    @Test
    void twoBytesAreEnoughToShowABadMagicAndOneIsJustTruncated() {
        byte[] bad = one("ping");
        bad[0] = 'X';
        assertThat(validateBoth(bad, 1)).isEqualTo(DecodeError.TRUNCATED);
        assertThat(validateBoth(bad, 2)).isEqualTo(DecodeError.BAD_MAGIC);
        assertThat(validateBoth(bad, H - 1)).isEqualTo(DecodeError.BAD_MAGIC);
        assertThat(validateBoth(bad, bad.length)).isEqualTo(DecodeError.BAD_MAGIC);
        byte[] good = one("ping");
        assertThat(validateBoth(good, 2)).as("a good magic, then nothing").isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void aDataFrameCutInsideItsHeaderOrPayloadIsTruncated() {
        byte[] data = one("data");
        assertThat(validateBoth(data, data.length)).isNull();
        for (int cut = H + WireFormat.OPTIONAL_FRAME_HEAD_LENGTH; cut < data.length; cut++) {
            assertThat(validateBoth(data, cut)).as("cut at %d of %d", cut, data.length).isEqualTo(DecodeError.TRUNCATED);
        }
    }

    @Test
    void anAckOfFewerThanFortyBytesIsTruncated() {
        byte[] ack = one("ack");
        assertThat(ack.length).isEqualTo(H + WireFormat.ACK_LENGTH);
        assertThat(validateBoth(ack, ack.length)).isNull();
        for (int cut = H + WireFormat.OPTIONAL_FRAME_HEAD_LENGTH; cut < ack.length; cut++) {
            assertThat(validateBoth(ack, cut)).as("cut at %d", cut).isEqualTo(DecodeError.TRUNCATED);
        }
    }

    @Test
    void pingsAndPongsCutShortAreTruncatedAndWithTheirReservedFieldSetAreBadFields() {
        for (String kind : new String[] {"ping", "pong"}) {
            byte[] frame = one(kind);
            assertThat(validateBoth(frame, frame.length)).as(kind).isNull();
            for (int cut = H + WireFormat.OPTIONAL_FRAME_HEAD_LENGTH; cut < frame.length; cut++) {
                assertThat(validateBoth(frame, cut)).as("%s cut at %d", kind, cut).isEqualTo(DecodeError.TRUNCATED);
            }
            byte[] reserved = frame.clone();
            reserved[H + WireFormat.HEARTBEAT_RESERVED_OFFSET + 3] = 1;
            assertThat(validateBoth(reserved, reserved.length)).as(kind + " reserved set").isEqualTo(DecodeError.BAD_FIELD);
        }
    }

    @Test
    void bytesAfterTheLastFrameAreTrailingBytes() {
        byte[] ping = one("ping");
        byte[] longer = new byte[ping.length + 1];
        System.arraycopy(ping, 0, longer, 0, ping.length);
        assertThat(validateBoth(longer, longer.length)).isEqualTo(DecodeError.TRAILING_BYTES);
    }
}
