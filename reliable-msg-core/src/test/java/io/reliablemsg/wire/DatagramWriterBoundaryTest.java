package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DatagramWriter}'s room check at the byte (a frame that exactly fills the datagram with the
 * reserve fits, one byte more does not, and a refused frame writes nothing; FRAGMENT and FRAGMENT_ACK too,
 * which no CAPABILITIES datagram may carry either), and frames written into a
 * reused buffer over older bytes: each frame's fields, reserved ones included, are its own, and no
 * frame touches the one before it.
 */
class DatagramWriterBoundaryTest {
    private static final int H = WireFormat.HEADER_LENGTH;

    private static List<String> read(ByteBuffer datagram) {
        List<String> frames = new ArrayList<>();
        DecodeError error = DatagramReader.read(datagram.duplicate(), frames, new FrameVisitor<List<String>>() {
            @Override
            public void onData(List<String> f, int c, long i, long msgId, long sendTime, int transmissions,
                               ByteBuffer d, int offset, int length) {
                byte[] payload = new byte[length];
                d.get(offset, payload);
                f.add("data " + msgId + " " + sendTime + " x" + transmissions + " " + java.util.Arrays.toString(payload));
            }

            @Override
            public void onAck(List<String> f, int c, long i, int oc, long oi, long msgId, long echoed, long ackTime,
                              int transmissions) {
                f.add("ack " + oc + "/" + oi + " " + msgId + " " + echoed + " " + ackTime + " x" + transmissions);
            }

            @Override
            public void onPing(List<String> f, int c, long i, long sendTime) {
                f.add("ping " + sendTime);
            }

            @Override
            public void onPong(List<String> f, int c, long i, long echoed, long pongTime) {
                f.add("pong " + echoed + " " + pongTime);
            }

            @Override
            public void onFragment(List<String> f, int c, long i, long msgId, long sendTime, int transmissions,
                                   int messageLength, int index, int count, int messageOffset, ByteBuffer d,
                                   int offset, int length) {
                byte[] data = new byte[length];
                d.get(offset, data);
                f.add("fragment " + msgId + " " + sendTime + " x" + transmissions + " " + index + "/" + count + " of "
                        + messageLength + " at " + messageOffset + " " + java.util.Arrays.toString(data));
            }

            @Override
            public void onFragmentAck(List<String> f, int c, long i, int oc, long oi, long msgId, long echoed,
                                      long ackTime, int index) {
                f.add("fragment-ack " + oc + "/" + oi + " " + msgId + " " + echoed + " " + ackTime + " #" + index);
            }
        });
        assertThat(error).isNull();
        return frames;
    }

    @Test
    void aFrameThatExactlyFillsTheDatagramWithItsReserveFitsAndOneByteMoreDoesNot() {
        DatagramWriter w = new DatagramWriter(H + WireFormat.ACK_LENGTH + 5);
        w.begin(1, 2, 0);
        assertThat(w.fits(WireFormat.ACK_LENGTH, 5)).isTrue();
        assertThat(w.fits(WireFormat.ACK_LENGTH, 6)).isFalse();
        assertThat(w.tryAppendAck(3, 4, 5, 6, 7, 1, 6)).isFalse();
        assertThat(w.frameCount()).isZero();
        assertThat(w.length()).as("nothing written").isEqualTo(H);
        assertThat(w.tryAppendAck(3, 4, 5, 6, 7, 1, 5)).isTrue();
        assertThat(w.length()).isEqualTo(H + WireFormat.ACK_LENGTH);
    }

    @Test
    void pingsPongsAndDataThatDoNotFitAreRefusedWithoutWritingAnything() {
        DatagramWriter w = new DatagramWriter(H + WireFormat.ACK_LENGTH);
        w.begin(1, 2, 0);
        assertThat(w.tryAppendPing(10, 0)).isTrue();
        assertThat(w.tryAppendPong(11, 12, 0)).isTrue();   // 20 + 16 + 24 = 60 = the limit
        assertThat(w.tryAppendPing(13, 0)).isFalse();
        assertThat(w.tryAppendPong(14, 15, 0)).isFalse();
        assertThat(w.tryAppendData(16, 17, 1, new byte[0], 0)).isFalse();
        assertThat(w.frameCount()).isEqualTo(2);
        assertThat(read(w.finish())).containsExactly("ping 10", "pong 11 12");

        DatagramWriter d = new DatagramWriter(H + WireFormat.DATA_HEADER_LENGTH + 16);
        d.begin(1, 2, 0);
        assertThat(d.tryAppendData(1, 2, 1, new byte[17], 0)).isFalse();
        assertThat(d.tryAppendData(1, 2, 1, new byte[16], 1)).isFalse();
        assertThat(d.length()).isEqualTo(H);
        assertThat(d.tryAppendData(1, 2, 1, new byte[16], 0)).isTrue();
    }

    @Test
    void framesWrittenOverAReusedBufferCarryOnlyTheirOwnBytes() {
        DatagramWriter w = new DatagramWriter(1472);
        byte[] dirty = new byte[200];
        java.util.Arrays.fill(dirty, (byte) 0x7F);
        w.begin(1, 2, 0);
        assertThat(w.tryAppendData(1, 1, 1, dirty, 0)).isTrue(); // fills the buffer with 0x7F
        w.finish();

        w.begin(1, 2, 0);
        assertThat(w.tryAppendData(10, 100, 2, new byte[] {1, 2, 3, 4}, 0)).isTrue();
        assertThat(w.tryAppendData(11, 101, 3, new byte[] {5, 6, 7, 8}, 0)).isTrue();
        assertThat(w.tryAppendAck(3, 4, 12, 102, 103, 4, 0)).isTrue();
        assertThat(w.tryAppendPing(104, 0)).isTrue();
        assertThat(w.tryAppendPong(105, 106, 0)).isTrue();
        assertThat(w.tryAppendData(13, 107, 1, new byte[] {9}, 0)).isTrue();
        assertThat(read(w.finish())).containsExactly("data 10 100 x2 [1, 2, 3, 4]", "data 11 101 x3 [5, 6, 7, 8]",
                "ack 3/4 12 102 103 x4", "ping 104", "pong 105 106", "data 13 107 x1 [9]");
    }

    @Test
    void aFragmentThatExactlyFillsTheDatagramWithItsReserveFitsAndOneByteMoreDoesNot() {
        byte[] message = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        DatagramWriter w = new DatagramWriter(H + WireFormat.FRAGMENT_HEADER_LENGTH + 4 + 3);
        w.begin(1, 2, 0);
        assertThat(w.tryAppendFragment(7, 8, 2, message, 1, 3, 4, 5, 3)).as("one byte of data too many").isFalse();
        assertThat(w.tryAppendFragment(7, 8, 2, message, 1, 3, 4, 4, 4)).as("one byte of reserve too many").isFalse();
        assertThat(w.frameCount()).isZero();
        assertThat(w.length()).as("nothing written").isEqualTo(H);

        assertThat(w.tryAppendFragment(7, 8, 2, message, 1, 3, 4, 4, 3)).isTrue();
        assertThat(w.length()).isEqualTo(H + WireFormat.FRAGMENT_HEADER_LENGTH + 4);
        assertThat(read(w.finish())).containsExactly("fragment 7 8 x2 1/3 of 10 at 4 [5, 6, 7, 8]");
    }

    @Test
    void aFragmentAckThatExactlyFillsTheDatagramWithItsReserveFitsAndOneByteMoreDoesNot() {
        DatagramWriter w = new DatagramWriter(H + WireFormat.FRAGMENT_ACK_LENGTH + 2);
        w.begin(1, 2, 0);
        assertThat(w.tryAppendFragmentAck(3, 4, 5, 6, 7, 8, 3)).isFalse();
        assertThat(w.frameCount()).isZero();
        assertThat(w.length()).as("nothing written").isEqualTo(H);

        assertThat(w.tryAppendFragmentAck(3, 4, 5, 6, 7, 8, 2)).isTrue();
        assertThat(w.frameCount()).isOne();
        assertThat(w.length()).isEqualTo(H + WireFormat.FRAGMENT_ACK_LENGTH);
        assertThat(read(w.finish())).containsExactly("fragment-ack 3/4 5 6 7 #8");
    }

    @Test
    void noFragmentNorFragmentAckGoesInADatagramHoldingCapabilities() {
        DatagramWriter w = new DatagramWriter(1472);
        w.begin(1, 2, 0);
        assertThat(w.tryAppendCapabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, false, 0)).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendFragment(1, 2, 1, new byte[4], 0, 2, 0, 2, 0));
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendFragmentAck(3, 4, 5, 6, 7, 0, 0));
        assertThat(w.frameCount()).isOne();
        assertThat(w.length()).isEqualTo(H + WireFormat.CAPABILITIES_LENGTH);
    }
}
