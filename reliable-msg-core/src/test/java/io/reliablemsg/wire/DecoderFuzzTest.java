package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of the decoder and the authenticator with jqwik: arbitrary bytes and
 * mutations of valid datagrams never throw, and a datagram is accepted only when well formed.
 * Runs under the JUnit Platform (checked: Surefire reports these properties as tests).
 * Tries per property come from {@code jqwik.tries.default} (20,000 in
 * {@code src/test/resources/junit-platform.properties}); a longer run on demand:
 * {@code mvn -pl reliable-msg-core test -Dtest=DecoderFuzzTest -Djqwik.tries.default=1000000}.
 */
class DecoderFuzzTest {
    private static final FrameVisitor<Object> IGNORE = new FrameVisitor<Object>() {
        @Override
        public void onData(Object context, int c, long i, long m, long s, int t, ByteBuffer d, int o, int l) {
            assertThat(o + l).isLessThanOrEqualTo(d.limit()); // payload always inside the datagram
        }

        @Override
        public void onAck(Object context, int c, long i, int oc, long oi, long m, long e, long a, int t) {
        }
    };

    @Property
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 300) byte[] bytes) {
        DecodeError error = DatagramReader.read(ByteBuffer.wrap(bytes), null, IGNORE);
        if (error == null) {
            assertThat(bytes.length).isGreaterThanOrEqualTo(WireFormat.HEADER_LENGTH + WireFormat.PING_LENGTH);
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedValidDatagrams() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).tuple3()
                .map(t -> mutate(valid(), t.get1(), t.get2(), t.get3()));
    }

    @Property
    void mutatedValidDatagramsNeverThrowAndKeepPayloadsInBounds(@ForAll("mutatedValidDatagrams") byte[] bytes) {
        DatagramReader.read(ByteBuffer.wrap(bytes), null, IGNORE);
    }

    @Property
    void authenticatorRejectsEverySingleByteChange(@ForAll("positions") int position, @ForAll byte flip) {
        Map<Integer, byte[]> keys = new HashMap<>();
        keys.put(1, "0123456789abcdef0123456789abcdef".getBytes());
        FrameAuthenticator auth = new FrameAuthenticator(keys, 1);
        byte[] plain = valid();
        ByteBuffer signed = ByteBuffer.allocate(plain.length + FrameAuthenticator.TRAILER_LENGTH);
        signed.put(plain).flip();
        auth.sign(signed);
        int at = position % signed.limit();
        byte delta = flip == 0 ? 1 : flip;
        signed.put(at, (byte) (signed.get(at) ^ delta));
        assertThat(auth.verify(signed)).isNotNull();
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10_000);
    }

    static byte[] valid() {
        DatagramWriter w = new DatagramWriter(400);
        w.begin(5, 77, 0);
        w.tryAppendData(9, 1_800_000_000_000L, 1, "payload-bytes".getBytes(), 0);
        w.tryAppendAck(3, 4, 8, 1_800_000_000_000L, 1_800_000_000_001L, 1, 0);
        w.tryAppendPing(1_800_000_000_002L, 0);
        w.tryAppendPong(1_800_000_000_003L, 1_800_000_000_004L, 0);
        ByteBuffer d = w.finish();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] bytes, int a, int b, int c) {
        byte[] copy = bytes.clone();
        switch (a % 4) {
            case 0 -> copy[b % copy.length] = (byte) c;
            case 1 -> copy = java.util.Arrays.copyOf(copy, b % (copy.length + 1));
            case 2 -> ByteBuffer.wrap(copy).putInt((b % (copy.length - 3)), c);
            default -> {
                copy = java.util.Arrays.copyOf(copy, copy.length + (b % 50));
            }
        }
        return copy;
    }
}
