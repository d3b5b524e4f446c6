package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatagramCodecTest {
    private record Seen(String kind, long a, long b, long c, long d, long e, int transmissions, String payload) {
    }

    private static final class Recorder implements FrameVisitor<Object> {
        final List<Seen> frames = new ArrayList<>();

        @Override
        public void onData(Object context, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                           int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
            byte[] payload = new byte[payloadLength];
            datagram.get(payloadOffset, payload);
            frames.add(new Seen("DATA", senderClientId, senderIncarnation, msgId, sendTimeMillis, 0, transmissions,
                    new String(payload)));
        }

        @Override
        public void onAck(Object context, int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                          long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
            frames.add(new Seen("ACK", originClientId, originIncarnation, msgId, echoedSendTimeMillis, ackTimeMillis,
                    transmissions, senderClientId + "/" + senderIncarnation));
        }
    }

    private static ByteBuffer copy(ByteBuffer datagram) {
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
        copy.put(datagram.duplicate()).flip();
        return copy;
    }

    private static ByteBuffer sample() {
        DatagramWriter w = new DatagramWriter(1500);
        w.begin(0xCAFEBABE, 0x1122334455667788L, 0);
        assertThat(w.tryAppendData(42, 1_700_000_000_123L, 3, "hello".getBytes(), 0)).isTrue();
        assertThat(w.tryAppendAck(7, 99L, 41, 1_700_000_000_100L, 1_700_000_000_120L, 2, 0)).isTrue();
        return copy(w.finish());
    }

    @Test
    void roundTripsDataAndAckFramesInOneDatagram() {
        Recorder r = new Recorder();
        assertThat(DatagramReader.read(sample(), null, r)).isNull();
        assertThat(r.frames).containsExactly(
                new Seen("DATA", 0xCAFEBABE, 0x1122334455667788L, 42, 1_700_000_000_123L, 0, 3, "hello"),
                new Seen("ACK", 7, 99L, 41, 1_700_000_000_100L, 1_700_000_000_120L, 2,
                        0xCAFEBABE + "/" + 0x1122334455667788L));
    }

    @Test
    void roundTripsHeartbeatFrames() {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(9, 10, 0);
        assertThat(w.tryAppendPing(1_000, 0)).isTrue();
        assertThat(w.tryAppendPong(2_000, 2_005, 0)).isTrue();
        ByteBuffer d = copy(w.finish());
        assertThat(d.remaining()).isEqualTo(20 + 16 + 24);
        assertThat(d.get(20)).isEqualTo((byte) WireFormat.TYPE_PING);
        assertThat(d.getLong(28)).isEqualTo(1_000);
        assertThat(d.get(36)).isEqualTo((byte) WireFormat.TYPE_PONG);
        assertThat(d.getLong(44)).isEqualTo(2_000);
        assertThat(d.getLong(52)).isEqualTo(2_005);
        List<String> seen = new ArrayList<>();
        assertThat(DatagramReader.read(d, null, new FrameVisitor<Object>() {
            @Override
            public void onData(Object context, int c, long i, long m, long s, int t, ByteBuffer b, int o, int l) {
            }

            @Override
            public void onAck(Object context, int c, long i, int oc, long oi, long m, long e, long a, int t) {
            }

            @Override
            public void onPing(Object context, int c, long i, long sendTime) {
                seen.add("ping " + c + "/" + i + " " + sendTime);
            }

            @Override
            public void onPong(Object context, int c, long i, long echoed, long pongTime) {
                seen.add("pong " + echoed + " " + pongTime);
            }
        })).isNull();
        assertThat(seen).containsExactly("ping 9/10 1000", "pong 2000 2005");
        d.putInt(24, 1); // reserved field of the ping
        assertThat(DatagramReader.validate(d)).isEqualTo(DecodeError.BAD_FIELD);
    }

    @Test
    void writesTheDocumentedLayout() {
        ByteBuffer d = sample();
        assertThat(d.getShort(0)).isEqualTo((short) 0x524D);
        assertThat(d.get(2)).isEqualTo((byte) 1);
        assertThat(d.getInt(4)).isEqualTo(0xCAFEBABE);
        assertThat(d.getLong(8)).isEqualTo(0x1122334455667788L);
        assertThat(d.getShort(16)).isEqualTo((short) 2);
        assertThat(d.get(20)).isEqualTo((byte) WireFormat.TYPE_DATA);
        assertThat(d.getInt(24)).isEqualTo(5);
        assertThat(d.getLong(28)).isEqualTo(42);
        int ack = 20 + 24 + 5;
        assertThat(d.get(ack)).isEqualTo((byte) WireFormat.TYPE_ACK);
        assertThat(d.getLong(ack + 16)).isEqualTo(41);
        assertThat(d.remaining()).isEqualTo(ack + 40);
    }

    @Test
    void rejectsEveryTruncationAndVisitsNothing() {
        ByteBuffer full = sample();
        for (int length = 0; length < full.remaining(); length++) {
            ByteBuffer cut = full.duplicate().limit(length);
            Recorder r = new Recorder();
            assertThat(DatagramReader.read(cut, null, r)).as("length %d", length).isNotNull();
            assertThat(r.frames).as("length %d", length).isEmpty();
        }
    }

    @Test
    void rejectsWrongMagicVersionTypeFieldsAndTrailingBytes() {
        ByteBuffer d = sample();
        assertThat(DatagramReader.read(with(d, 0, (byte) 0x00), null, new Recorder())).isEqualTo(DecodeError.BAD_MAGIC);
        assertThat(DatagramReader.read(with(d, 2, (byte) 2), null, new Recorder())).isEqualTo(DecodeError.UNSUPPORTED_VERSION);
        assertThat(DatagramReader.read(with(d, 3, (byte) 0x80), null, new Recorder())).isEqualTo(DecodeError.BAD_FIELD);
        assertThat(DatagramReader.read(with(d, 20, (byte) 9), null, new Recorder())).isEqualTo(DecodeError.UNKNOWN_FRAME_TYPE);
        assertThat(DatagramReader.read(with(d, 21, (byte) 0), null, new Recorder())).isEqualTo(DecodeError.BAD_FIELD);
        ByteBuffer zeroFrames = with(with(d, 16, (byte) 0), 17, (byte) 0);
        assertThat(DatagramReader.read(zeroFrames, null, new Recorder())).isEqualTo(DecodeError.BAD_FIELD);
        ByteBuffer longer = ByteBuffer.allocate(d.remaining() + 1);
        longer.put(d.duplicate()).put((byte) 0).flip();
        assertThat(DatagramReader.read(longer, null, new Recorder())).isEqualTo(DecodeError.TRAILING_BYTES);
    }

    @Test
    void rejectsAPayloadLengthLargerThanTheDatagramWithoutAllocating() {
        ByteBuffer d = sample();
        d.putInt(24, Integer.MAX_VALUE);
        assertThat(DatagramReader.read(d, null, new Recorder())).isEqualTo(DecodeError.TRUNCATED);
        d.putInt(24, -1);
        assertThat(DatagramReader.read(d, null, new Recorder())).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void randomGarbageIsRejectedOrParsedButNeverThrows() {
        Random random = new Random(1234);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length > 3 && random.nextBoolean()) { // valid magic/version half the time
                bytes[0] = 0x52;
                bytes[1] = 0x4D;
                bytes[2] = 1;
            }
            if (DatagramReader.read(ByteBuffer.wrap(bytes), null, new Recorder()) == null) {
                accepted++;
            }
        }
        assertThat(accepted).isLessThan(20); // random bytes practically never form a valid datagram
    }

    @Test
    void writerRefusesFramesThatDoNotFitAndKeepsWhatFits() {
        DatagramWriter w = new DatagramWriter(100);
        w.begin(1, 1, 0);
        assertThat(w.tryAppendData(1, 1, 1, new byte[56], 0)).isTrue(); // 20 + 24 + 56 = 100
        assertThat(w.tryAppendAck(1, 1, 1, 1, 1, 1, 0)).isFalse();
        assertThat(w.frameCount()).isEqualTo(1);
        assertThat(DatagramReader.read(copy(w.finish()), null, new Recorder())).isNull();
        assertThatThrownBy(() -> new DatagramWriter(10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ByteBuffer capabilities(int revision, long features, boolean answerRequested) {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(0xCAFEBABE, 0x1122334455667788L, 0);
        assertThat(w.tryAppendCapabilities(revision, features, answerRequested, 0)).isTrue();
        return copy(w.finish());
    }

    private static byte[] bytes(ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void writesTheDocumentedCapabilitiesLayout() {
        ByteBuffer d = capabilities(2, 0x8000_0000_0000_0001L, true);
        assertThat(d.remaining()).isEqualTo(20 + 16);
        assertThat(d.get(2)).isEqualTo((byte) 1); // header layout version unchanged
        assertThat(d.getShort(16)).isEqualTo((short) 1);
        assertThat(d.get(20)).isEqualTo((byte) 0x40);
        assertThat(d.get(21)).isEqualTo((byte) 0x01); // answer requested
        assertThat(d.getShort(22)).isEqualTo((short) 12); // body length
        assertThat(d.getShort(24)).isEqualTo((short) 2); // revision
        assertThat(d.getShort(26)).isEqualTo((short) 0); // reserved
        assertThat(d.getLong(28)).isEqualTo(0x8000_0000_0000_0001L);
        assertThat(capabilities(2, 0, false).get(21)).isEqualTo((byte) 0);
    }

    @Test
    void roundTripsCapabilitiesAtTheEdgesOfEveryField() {
        for (int revision : new int[] {0, WireFormat.PROTOCOL_REVISION, 0xFFFF}) {
            for (long features : new long[] {0, WireFormat.FEATURES, -1L}) {
                for (boolean answerRequested : new boolean[] {true, false}) {
                    assertThat(V1Frames.readNew(bytes(capabilities(revision, features, answerRequested))))
                            .containsExactly(V1Frames.capabilities(0xCAFEBABE, 0x1122334455667788L, revision, features,
                                    answerRequested));
                }
            }
        }
    }

    @Test
    void readsTheFieldsOfALongerCapabilitiesBodyAndIgnoresItsTailUnknownFlagsAndReservedField() {
        byte[] body = Arrays.copyOf(RawDatagram.capabilitiesBody(7, 0xBEEF, 0x0F),
                WireFormat.CAPABILITIES_BODY_LENGTH + 20);
        Arrays.fill(body, WireFormat.CAPABILITIES_BODY_LENGTH, body.length, (byte) 0xAA);
        for (int flags : new int[] {0xFE, 0xFF}) {
            byte[] datagram = new RawDatagram(5, 6).optional(WireFormat.TYPE_CAPABILITIES, flags, body)
                    .data(1, 1_000, 1, "next".getBytes()).bytes();
            assertThat(V1Frames.readNew(datagram)).as("flags 0x%x", flags).containsExactly(
                    V1Frames.capabilities(5, 6, 7, 0x0F, (flags & 1) != 0),
                    V1Frames.data(5, 6, 1, 1_000, 1, "next".getBytes()));
        }
    }

    @Test
    void rejectsACapabilitiesBodyShorterThanItsFields() {
        for (int length = 0; length < WireFormat.CAPABILITIES_BODY_LENGTH; length++) {
            byte[] datagram = new RawDatagram(5, 6)
                    .optional(WireFormat.TYPE_CAPABILITIES, 0, new byte[length]).bytes();
            assertThat(V1Frames.readNew(datagram)).as("body of %d", length).containsExactly("rejected: BAD_FIELD");
        }
    }

    @Test
    void rejectsEveryTruncationOfACapabilitiesDatagramAndVisitsNothing() {
        byte[] full = bytes(capabilities(2, 1, true));
        for (int length = 0; length < full.length; length++) {
            List<String> seen = V1Frames.readNew(Arrays.copyOf(full, length));
            assertThat(seen).as("length %d", length).hasSize(1);
            assertThat(seen.get(0)).as("length %d", length).startsWith("rejected: ");
        }
    }

    @Test
    void capabilitiesGoesAloneInItsDatagram() {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(1, 1, 0);
        assertThat(w.tryAppendData(1, 1, 1, new byte[0], 0)).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendCapabilities(2, 1, true, 0))
                .withMessageContaining("datagram of its own");
        assertThat(w.frameCount()).isEqualTo(1);

        w.begin(1, 1, 0);
        assertThat(w.tryAppendCapabilities(2, 1, true, 0)).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendData(1, 1, 1, new byte[0], 0))
                .withMessageContaining("begin a new datagram");
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendAck(1, 1, 1, 1, 1, 1, 0));
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendPing(1, 0));
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendPong(1, 2, 0));
        assertThatIllegalStateException().isThrownBy(() -> w.tryAppendCapabilities(2, 1, false, 0));
        assertThat(w.frameCount()).isEqualTo(1);
        assertThat(w.length()).isEqualTo(20 + 16);

        w.begin(1, 1, 0); // a new datagram takes any frame again
        assertThat(w.tryAppendData(1, 1, 1, new byte[0], 0)).isTrue();
    }

    @Test
    void writerRefusesCapabilitiesThatDoNotFitAndARevisionOutsideSixteenBits() {
        DatagramWriter w = new DatagramWriter(60);
        w.begin(1, 1, 0);
        assertThat(w.tryAppendCapabilities(2, 1, true, 60 - 20 - 16 + 1)).isFalse();
        assertThat(w.frameCount()).isZero();
        assertThat(w.tryAppendCapabilities(2, 1, true, 60 - 20 - 16)).isTrue();
        w.begin(1, 1, 0);
        assertThatThrownBy(() -> w.tryAppendCapabilities(-1, 1, true, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> w.tryAppendCapabilities(0x10000, 1, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
        assertThat(w.frameCount()).isZero();
    }

    @Test
    void signedCapabilitiesCarryTheTrailerAfterTheFrameAndVerify() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, "0123456789abcdef0123456789abcdef".getBytes()), 1);
        DatagramWriter w = new DatagramWriter(200);
        w.begin(5, 6, 0);
        assertThat(w.tryAppendCapabilities(2, WireFormat.FEATURES, true, FrameAuthenticator.TRAILER_LENGTH)).isTrue();
        ByteBuffer signed = w.finish();
        auth.sign(signed);
        assertThat(signed.remaining()).isEqualTo(20 + 16 + FrameAuthenticator.TRAILER_LENGTH);
        assertThat(signed.get(WireFormat.FLAGS_OFFSET) & WireFormat.FLAG_AUTHENTICATED).isNotZero();
        ByteBuffer received = copy(signed);
        assertThat(auth.verify(received)).isNull();
        assertThat(V1Frames.readNew(bytes(received)))
                .containsExactly(V1Frames.capabilities(5, 6, 2, WireFormat.FEATURES, true));
        received.put(WireFormat.HEADER_LENGTH + WireFormat.CAPABILITIES_FEATURES_OFFSET + 7, (byte) 0x02);
        received.limit(received.limit() + FrameAuthenticator.TRAILER_LENGTH);
        assertThat(auth.verify(received)).isEqualTo(FrameAuthenticator.Failure.BAD_MAC);
    }

    private static ByteBuffer with(ByteBuffer d, int offset, byte value) {
        ByteBuffer c = copy(d);
        c.put(offset, value);
        return c;
    }
}
