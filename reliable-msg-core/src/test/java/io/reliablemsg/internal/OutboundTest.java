package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameAuthenticator;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link Outbound} puts on the wire: frames for one peer share a datagram until the next frame
 * and the trailer reserve would pass the bundle size (checked at the byte on both sides); bundling off
 * sends each frame at once; the end of a pass sends each peer's datagram once, in the order the peers
 * got their first frame in that pass; CAPABILITIES travels alone; an ack never says 0 transmissions;
 * a refused datagram is counted; with a key every datagram is signed.
 */
class OutboundTest {
    private static final int CLIENT_ID = 9;
    private static final long INCARNATION = 77;
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 7000);
    private static final InetSocketAddress C = new InetSocketAddress("10.0.0.3", 7000);
    /** Header, two acks and the trailer reserve: exactly two acks fit. */
    private static final int TWO_ACKS = WireFormat.HEADER_LENGTH + 2 * WireFormat.ACK_LENGTH
            + MessengerConfig.TRAILER_RESERVE_BYTES;
    private static final String ACK = "ack 9/77 of 2/20 #5 x1";

    /** Each datagram sent: destination and its frames, decoded. */
    private final List<String> sent = new ArrayList<>();
    private boolean refuse;
    private FrameAuthenticator verifier;

    private final Transport transport = new Transport() {
        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("10.0.0.1", 7000);
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
            copy.put(datagram.duplicate()).flip();
            if (verifier != null) {
                assertThat(verifier.verify(copy)).as("signed").isNull();
            }
            List<String> frames = new ArrayList<>();
            assertThat(DatagramReader.read(copy, frames, new Frames())).isNull();
            sent.add(target.getHostString() + " " + String.join(", ", frames));
            return !refuse;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            return null;
        }

        @Override
        public void await(long timeoutNs) {
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
        }
    };

    private static final class Frames implements FrameVisitor<List<String>> {
        @Override
        public void onData(List<String> f, int clientId, long incarnation, long msgId, long sendTimeMillis,
                           int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
            f.add("data " + clientId + "/" + incarnation + " #" + msgId + " x" + transmissions + " " + payloadLength + "B");
        }

        @Override
        public void onAck(List<String> f, int clientId, long incarnation, int originClientId, long originIncarnation,
                          long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
            f.add("ack " + clientId + "/" + incarnation + " of " + originClientId + "/" + originIncarnation + " #" + msgId
                    + " x" + transmissions);
        }

        @Override
        public void onPing(List<String> f, int clientId, long incarnation, long sendTimeMillis) {
            f.add("ping " + clientId + "/" + incarnation);
        }

        @Override
        public void onPong(List<String> f, int clientId, long incarnation, long echoed, long pongTime) {
            f.add("pong echo " + echoed);
        }

        @Override
        public void onCapabilities(List<String> f, int clientId, long incarnation, int revision, long features,
                                   boolean answerRequested) {
            f.add("capabilities r" + revision + (answerRequested ? " ?" : ""));
        }
    }

    private Outbound outbound(int bundleSize, FrameAuthenticator authenticator) {
        MessengerConfig config = MessengerConfig.builder().clientId(CLIENT_ID).bundleSize(bundleSize).build();
        return new Outbound(config, INCARNATION, transport, authenticator);
    }

    private static PeerOutbox box(InetSocketAddress address) {
        return new PeerOutbox(address, 1472);
    }

    private static void ack(Outbound out, PeerOutbox to) {
        out.ack(to, 2, 20, 5, NOW_MILLIS - 1, 1, NOW_MILLIS);
    }

    @Test
    void aPeerGetsAWriterOfTheBundleSizeOnlyWhenItsFirstFrameComesAndALargerFrameGoesAloneAtOnce() {
        Outbound out = outbound(TWO_ACKS, null);
        PeerOutbox b = new PeerOutbox(B, WireFormat.MAX_UDP_PAYLOAD);
        assertThat(b.hasWriter()).as("no traffic, no buffer").isFalse();
        ack(out, b);
        assertThat(b.hasWriter()).isTrue();
        assertThat(b.writer(TWO_ACKS).fits(TWO_ACKS - WireFormat.HEADER_LENGTH + 1, 0))
                .as("a bundle's worth, not a 64 KiB datagram").isFalse();
        PendingMessage big = new PendingMessage(7, 0, new byte[2_000], new byte[0]);
        new RetransmitChain(4, 1, 1_000_000, 3).add(big, 0);
        out.data(b, big, NOW_MILLIS);
        assertThat(sent).as("what was bundled first, then the large frame alone, before the end of the pass")
                .containsExactly("10.0.0.2 " + ACK, "10.0.0.2 data 9/77 #7 x1 2000B");
        out.flush(0);
        assertThat(sent).hasSize(2);
        assertThat(b.datagramsSent.get()).isEqualTo(2);
    }

    @Test
    void withBundlingOffNoPeerGetsAWriterOfItsOwn() {
        Outbound out = outbound(0, null);
        PeerOutbox b = box(B);
        ack(out, b);
        out.ping(b, NOW_MILLIS);
        out.capabilities(b, true);
        assertThat(sent).hasSize(3);
        assertThat(b.hasWriter()).isFalse();
    }

    @Test
    void framesForOnePeerShareADatagramWhileTheNextFrameAndTheTrailerReserveFitTheBundleSize() {
        Outbound out = outbound(TWO_ACKS, null);
        PeerOutbox b = box(B);
        for (int i = 0; i < 4; i++) {
            ack(out, b);
        }
        assertThat(sent).as("the third ack did not fit: the first two went").containsExactly("10.0.0.2 " + ACK + ", " + ACK);
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 " + ACK + ", " + ACK, "10.0.0.2 " + ACK + ", " + ACK);
        assertThat(b.datagramsSent.get()).isEqualTo(2);
    }

    @Test
    void theEndOfADatagramSendsWhatIsBundledForThatPeerAtOnceAndTheNextFrameStartsAnother() {
        Outbound out = outbound(TWO_ACKS, null);
        PeerOutbox b = box(B);
        PeerOutbox c = box(C);
        ack(out, b);
        ack(out, c);
        out.endDatagram(b);
        assertThat(sent).as("b's datagram, not c's").containsExactly("10.0.0.2 " + ACK);
        ack(out, b);
        out.endDatagram(box(B)); // a box with nothing bundled: nothing to send
        out.flush(0);
        assertThat(sent).as("the flush in the order of the pass's first frames").containsExactly("10.0.0.2 " + ACK,
                "10.0.0.2 " + ACK, "10.0.0.3 " + ACK);
        out.endDatagram(b);
        assertThat(sent).as("nothing left to send").hasSize(3);
    }

    @Test
    void oneByteBelowRoomForTwoFramesEachGoesAlone() {
        Outbound out = outbound(TWO_ACKS - 1, null);
        PeerOutbox b = box(B);
        for (int i = 0; i < 3; i++) {
            ack(out, b);
        }
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 " + ACK, "10.0.0.2 " + ACK, "10.0.0.2 " + ACK);
    }

    /** The room check counts a DATA frame's header and payload: 20 + 40 + (24 + 30) + 32 > 132. */
    @Test
    void aDataFrameThatWouldPassTheBundleSizeStartsANewDatagram() {
        Outbound out = outbound(TWO_ACKS, null);
        PeerOutbox b = box(B);
        PendingMessage m = new PendingMessage(42, 0, new byte[30], new byte[0]);
        new RetransmitChain(4, 1, 1_000_000, 3).add(m, 0);
        ack(out, b);
        out.data(b, m, NOW_MILLIS);
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 " + ACK, "10.0.0.2 data 9/77 #42 x1 30B");
    }

    @Test
    void withBundlingOffEachFrameIsSentAtOnce() {
        Outbound out = outbound(0, null);
        PeerOutbox b = box(B);
        out.ping(b, NOW_MILLIS);
        out.pong(b, 5, NOW_MILLIS);
        assertThat(sent).containsExactly("10.0.0.2 ping 9/77", "10.0.0.2 pong echo 5");
        out.flush(0);
        assertThat(sent).hasSize(2);
    }

    @Test
    void theEndOfAPassSendsEachPeersDatagramOnceInTheOrderThePeersGotTheirFirstFrame() {
        Outbound out = outbound(1472, null);
        PeerOutbox b = box(B);
        PeerOutbox c = box(C);
        out.ping(b, NOW_MILLIS);
        out.ping(c, NOW_MILLIS);
        out.pong(b, 1, NOW_MILLIS);
        assertThat(sent).as("nothing before the end of the pass").isEmpty();
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 ping 9/77, pong echo 1", "10.0.0.3 ping 9/77");

        sent.clear();
        out.flush(0);
        assertThat(sent).as("an empty pass sends nothing").isEmpty();

        out.pong(c, 2, NOW_MILLIS); // the next pass: c first
        out.pong(b, 3, NOW_MILLIS);
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.3 pong echo 2", "10.0.0.2 pong echo 3");
    }

    @Test
    void dataCarriesTheMessageIdTransmissionsAndPayloadUnderOurClientIdAndIncarnation() {
        Outbound out = outbound(1472, null);
        PeerOutbox b = box(B);
        PendingMessage m = new PendingMessage(42, 0, new byte[] {1, 2, 3}, new byte[0]);
        new RetransmitChain(4, 1, 1_000_000, 3).add(m, 0); // the chain counts the first transmission
        out.data(b, m, NOW_MILLIS);
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 data 9/77 #42 x1 3B");
    }

    @Test
    void anAckSaysAtLeastOneTransmission() {
        Outbound out = outbound(1472, null);
        PeerOutbox b = box(B);
        out.ack(b, 2, 20, 5, NOW_MILLIS - 1, 0, NOW_MILLIS);
        out.ack(b, 2, 20, 6, NOW_MILLIS - 1, 3, NOW_MILLIS);
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 ack 9/77 of 2/20 #5 x1, ack 9/77 of 2/20 #6 x3");
    }

    @Test
    void capabilitiesTravelAloneAfterWhatWasBundledForThePeer() {
        Outbound out = outbound(1472, null);
        PeerOutbox b = box(B);
        out.ping(b, NOW_MILLIS);
        out.capabilities(b, true);
        assertThat(sent).containsExactly("10.0.0.2 ping 9/77", "10.0.0.2 capabilities r" + WireFormat.PROTOCOL_REVISION + " ?");
        out.pong(b, 4, NOW_MILLIS);
        out.flush(0);
        assertThat(sent).hasSize(3).last().isEqualTo("10.0.0.2 pong echo 4");

        out.capabilities(box(C), false);
        assertThat(sent).hasSize(4).last().isEqualTo("10.0.0.3 capabilities r" + WireFormat.PROTOCOL_REVISION);
    }

    @Test
    void aDatagramTheTransportRefusesIsCountedAsADropAndStillAsSent() {
        Outbound out = outbound(1472, null);
        PeerOutbox b = box(B);
        out.ping(b, NOW_MILLIS);
        out.flush(0);
        assertThat(out.transportSendDrops.get()).isZero();
        refuse = true;
        out.ping(b, NOW_MILLIS);
        out.flush(0);
        out.capabilities(b, false);
        assertThat(out.transportSendDrops.get()).isEqualTo(2);
        assertThat(b.datagramsSent.get()).isEqualTo(3);
    }

    @Test
    void withAKeyEveryDatagramIsSignedWithinTheBundleSize() {
        Map<Integer, byte[]> keys = Map.of(3, "0123456789abcdef0123456789abcdef".getBytes());
        verifier = new FrameAuthenticator(keys, 3);
        Outbound out = outbound(TWO_ACKS, new FrameAuthenticator(keys, 3));
        PeerOutbox b = box(B);
        for (int i = 0; i < 3; i++) {
            ack(out, b);
        }
        out.capabilities(b, false);
        out.flush(0);
        assertThat(sent).containsExactly("10.0.0.2 " + ACK + ", " + ACK, "10.0.0.2 " + ACK,
                "10.0.0.2 capabilities r" + WireFormat.PROTOCOL_REVISION);
    }
}
