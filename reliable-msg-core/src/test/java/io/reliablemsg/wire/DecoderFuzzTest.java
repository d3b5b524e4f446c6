package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of the decoder and the authenticator with jqwik: arbitrary bytes and
 * mutations of valid datagrams (version 1 frames, and CAPABILITIES, REQUEST, REPLY, TRACE_CONTEXT and
 * unknown optional frames bundled with DATA) never throw, a datagram is accepted only when well formed, and
 * on any bytes this release's reader agrees with the frozen version 1 reader ({@link FrozenV1Codec})
 * wherever version 1 accepts, with the frozen revision 2 reader ({@link FrozenRevision2Codec})
 * wherever revision 2 accepts, save the REQUEST, REPLY and TRACE_CONTEXT frames revision 2 skips, and with
 * the frozen revision 4 reader ({@link FrozenRevision4Codec}) save the TRACE_CONTEXT it skips.
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

        @Override
        public void onUnknownOptionalFrame(Object context, int c, long i, int type, int bodyLength) {
            // optional, and not CAPABILITIES, REQUEST, REPLY, FRAGMENT, FRAGMENT_ACK or TRACE_CONTEXT (0x40-0x45)
            assertThat(type).isBetween(WireFormat.TYPE_TRACE_CONTEXT + 1, 0x7F);
        }

        @Override
        public void onTraceContext(Object context, int c, long i, long m, int version, int flags, long high, long low,
                                   long span, ByteBuffer d, int o, int l) {
            assertThat(l).isBetween(0, 0xFFFF);
            assertThat(o + l).isLessThanOrEqualTo(d.limit()); // tracestate always inside the datagram
        }

        @Override
        public void onRequest(Object context, int c, long i, long m, long s, int t, ByteBuffer d, int o, int l) {
            assertThat(l).isNotNegative();
            assertThat(o + l).isLessThanOrEqualTo(d.limit());
        }

        @Override
        public void onReply(Object context, int c, long i, int oc, long oi, long m, long e, long r, boolean n,
                            ByteBuffer d, int o, int l) {
            assertThat(l).isNotNegative();
            assertThat(o + l).isLessThanOrEqualTo(d.limit());
        }
    };

    @Property
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 300) byte[] bytes) {
        DecodeError error = DatagramReader.read(ByteBuffer.wrap(bytes), null, IGNORE);
        if (error == null) {
            // the shortest valid frame is an optional frame with an empty body
            assertThat(bytes.length)
                    .isGreaterThanOrEqualTo(WireFormat.HEADER_LENGTH + WireFormat.OPTIONAL_FRAME_HEAD_LENGTH);
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedValidDatagrams() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).tuple4()
                .map(t -> mutate(t.get4() % 2 == 0 ? valid() : validWithOptionalFrames(),
                        t.get1(), t.get2(), t.get3()));
    }

    @Property
    void mutatedValidDatagramsNeverThrowAndKeepPayloadsInBounds(@ForAll("mutatedValidDatagrams") byte[] bytes) {
        DatagramReader.read(ByteBuffer.wrap(bytes), null, IGNORE);
    }

    @Property
    void whateverVersion1AcceptsTheNewReaderAcceptsAsTheSameFrames(@ForAll("mutatedValidDatagrams") byte[] bytes) {
        List<String> version1 = V1Frames.readV1(bytes);
        List<String> current = V1Frames.readNew(bytes);
        if (!version1.get(0).startsWith("rejected: ")) {
            assertThat(current).isEqualTo(version1);
        } else if (!current.get(0).startsWith("rejected: ")) {
            // accepted only here: it must hold a frame version 1 does not know
            assertThat(current).anyMatch(line -> line.startsWith("CAPABILITIES ") || line.startsWith("SKIPPED ")
                    || line.startsWith("REQUEST ") || line.startsWith("REPLY ") || line.startsWith("FRAGMENT")
                    || line.startsWith("TRACE_CONTEXT "));
        }
    }

    @Property
    void whateverRevision2AcceptsTheNewReaderAcceptsAsTheSameFramesSaveTheRequestAndReplyItSkips(
            @ForAll("mutatedValidDatagrams") byte[] bytes) {
        List<String> revision2 = V1Frames.readRevision2(bytes);
        List<String> current = V1Frames.readNew(bytes);
        if (revision2.get(0).startsWith("rejected: ")) {
            // rejected by revision 2: only a REQUEST or REPLY body shorter than its fields may be read here
            assertThat(current.get(0)).startsWith("rejected: ");
            return;
        }
        if (current.get(0).startsWith("rejected: ")) {
            // a REQUEST, REPLY, FRAGMENT or FRAGMENT_ACK shorter than its fields, or a FRAGMENT out of its bounds
            assertThat(current).containsExactly("rejected: BAD_FIELD");
            assertThat(revision2).anyMatch(line -> line.startsWith("SKIPPED optional type 0x41")
                    || line.startsWith("SKIPPED optional type 0x42") || line.startsWith("SKIPPED optional type 0x43")
                    || line.startsWith("SKIPPED optional type 0x44") || line.startsWith("SKIPPED optional type 0x45"));
            return;
        }
        assertThat(current).hasSameSizeAs(revision2);
        for (int i = 0; i < current.size(); i++) {
            String line = current.get(i);
            if (line.startsWith("REQUEST ") || line.startsWith("REPLY ") || line.startsWith("FRAGMENT")
                    || line.startsWith("TRACE_CONTEXT ")) {
                assertThat(revision2.get(i)).startsWith("SKIPPED optional type 0x4" + (line.startsWith("REQUEST ")
                        ? "1" : line.startsWith("REPLY ") ? "2" : line.startsWith("FRAGMENT_ACK ") ? "4"
                        : line.startsWith("TRACE_CONTEXT ") ? "5" : "3"));
            } else {
                assertThat(line).isEqualTo(revision2.get(i));
            }
        }
    }

    @Property
    void whateverRevision4AcceptsTheNewReaderAcceptsAsTheSameFramesSaveTheTraceContextItSkips(
            @ForAll("mutatedValidDatagrams") byte[] bytes) {
        List<String> revision4 = V1Frames.readRevision4(bytes);
        List<String> current = V1Frames.readNew(bytes);
        if (revision4.get(0).startsWith("rejected: ")) {
            assertThat(current.get(0)).startsWith("rejected: ");
            return;
        }
        if (current.get(0).startsWith("rejected: ")) {
            // only a TRACE_CONTEXT shorter than its fields or its tracestate, which revision 4 skips
            assertThat(current).containsExactly("rejected: BAD_FIELD");
            assertThat(revision4).anyMatch(line -> line.startsWith("SKIPPED optional type 0x45"));
            return;
        }
        assertThat(current).hasSameSizeAs(revision4);
        for (int i = 0; i < current.size(); i++) {
            if (current.get(i).startsWith("TRACE_CONTEXT ")) {
                assertThat(revision4.get(i)).startsWith("SKIPPED optional type 0x45");
            } else {
                assertThat(current.get(i)).isEqualTo(revision4.get(i));
            }
        }
    }

    @Property
    void unknownOptionalFramesAreSkippedWhateverTheirFlagsAndBody(
            @ForAll @IntRange(min = WireFormat.TYPE_TRACE_CONTEXT + 1, max = 0x7F) int type,
            @ForAll @IntRange(min = 0, max = 0xFF) int flags, @ForAll @Size(max = 300) byte[] body) {
        byte[] datagram = new RawDatagram(5, 77).data(1, 10, 1, "a".getBytes()).optional(type, flags, body)
                .data(2, 20, 1, "b".getBytes()).bytes();
        assertThat(V1Frames.readNew(datagram)).containsExactly(V1Frames.data(5, 77, 1, 10, 1, "a".getBytes()),
                V1Frames.unknownOptional(5, 77, type, body.length), V1Frames.data(5, 77, 2, 20, 1, "b".getBytes()));
    }

    @Provide
    Arbitrary<List<V1Frames.Frame>> version1Bundles() {
        Arbitrary<V1Frames.Frame> data = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.integers().between(1, 300), Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as(V1Frames.Data::new);
        Arbitrary<V1Frames.Frame> ack = Combinators.combine(Arbitraries.integers(), Arbitraries.longs(),
                        Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.integers().between(1, 300))
                .as(V1Frames.Ack::new);
        Arbitrary<V1Frames.Frame> ping = Arbitraries.longs().map(V1Frames.Ping::new);
        Arbitrary<V1Frames.Frame> pong = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as(V1Frames.Pong::new);
        return Arbitraries.oneOf(data, ack, ping, pong).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 2_000)
    void anyVersion1BundleIsWrittenAsVersion1WritesItAndReadAsWrittenByBoth(
            @ForAll int clientId, @ForAll long incarnation, @ForAll("version1Bundles") List<V1Frames.Frame> frames) {
        byte[] written = V1Frames.writeNew(clientId, incarnation, frames);
        assertThat(written).isEqualTo(V1Frames.writeV1(clientId, incarnation, frames));
        List<String> expected = V1Frames.expected(clientId, incarnation, frames);
        assertThat(V1Frames.readV1(written)).isEqualTo(expected);
        assertThat(V1Frames.readNew(written)).isEqualTo(expected);
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

    /**
     * DATA, CAPABILITIES, TRACE_CONTEXT and REQUEST, REPLY, an optional frame of a later revision, TRACE_CONTEXT
     * (with a tracestate) and DATA: what only this release reads.
     */
    static byte[] validWithOptionalFrames() {
        return new RawDatagram(5, 77)
                .data(9, 1_800_000_000_000L, 1, "payload-bytes".getBytes())
                .capabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, true)
                .traceContext(11, 1, 0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, new byte[0])
                .request(11, 1_800_000_000_002L, 3, "question".getBytes())
                .reply(7, 70L, 12, 1_800_000_000_003L, 1_800_000_000_004L, false, "answer".getBytes())
                .optional(0x5A, 0x81, "later-revision".getBytes())
                .traceContext(10, 0, 1, 2, 3, "congo=t61rcWkgMzE".getBytes())
                .data(10, 1_800_000_000_001L, 2, "more".getBytes())
                .bytes();
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
