package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** docs/SECURITY.md claims: authentication, forgery, replay, known peers, bounded state under floods. */
class SecurityTest {
    private static final long MS = 1_000_000L;
    private static final byte[] KEY_1 = "key-one-0123456789abcdef-0123456".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY_2 = "key-two-0123456789abcdef-0123456".getBytes(StandardCharsets.UTF_8);

    private static UnaryOperator<MessengerConfig.Builder> base() {
        return b -> b.interval(Duration.ofMillis(100)).maxRetries(3).clockSkewAllowance(Duration.ofMillis(20));
    }

    private static UnaryOperator<MessengerConfig.Builder> keyed() {
        return b -> base().apply(b).authenticationKey(1, KEY_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records every datagram the network delivers from a to b. */
    private static List<byte[]> capture(SimulatedCluster c, String from, String to) {
        List<byte[]> captured = new ArrayList<>();
        InetSocketAddress src = c.node(from).address;
        InetSocketAddress dst = c.node(to).address;
        c.network.observer((f, t, datagram, now) -> {
            if (f.equals(src) && t.equals(dst)) {
                captured.add(datagram.clone());
            }
        });
        return captured;
    }

    private static byte[] forgedAck(int originClientId, long originIncarnation, long msgId, long echoedSendTime,
                                    int forgedSenderClientId) {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(forgedSenderClientId, 42, 0);
        w.tryAppendAck(originClientId, originIncarnation, msgId, echoedSendTime, echoedSendTime, 1, 0);
        ByteBuffer d = w.finish();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Test
    void authenticatedPeersExchangeMessages() {
        SimulatedCluster c = new SimulatedCluster(1);
        c.add("a", 1, keyed());
        c.add("b", 2, keyed());
        c.startAll();
        List<byte[]> wire = capture(c, "a", "b");
        c.node("a").send("b", bytes("signed"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(c.node("a").acked).hasSize(1);
        assertThat(wire.get(0)[WireFormat.FLAGS_OFFSET] & WireFormat.FLAG_AUTHENTICATED).isNotZero();
    }

    /**
     * A node without keys takes a signed datagram by cutting its trailer off unchecked (the first step
     * of introducing keys: the peers that sign are still read by those that do not yet).
     */
    @Test
    void aNodeWithoutKeysReadsSignedDatagramsByDroppingTheTrailer() {
        SimulatedCluster c = new SimulatedCluster(12);
        c.add("a", 1, keyed());
        c.add("b", 2, base());
        c.startAll();
        c.node("a").send("b", bytes("signed"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(c.node("b").messenger.stats().malformedDropped()).isZero();
    }

    @Test
    void unsignedDatagramsAreDroppedAndCountedWhenAKeyIsConfigured() {
        SimulatedCluster c = new SimulatedCluster(2);
        c.add("a", 1, base());   // no key
        c.add("b", 2, keyed());
        c.startAll();
        c.node("a").send("b", bytes("unsigned"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).isEmpty();
        // Every datagram of a's is refused: the message, and the capability exchange beside it.
        long fromA = c.node("a").datagramsSentTo(c.node("b"));
        assertThat(fromA).isGreaterThanOrEqualTo(2);
        assertThat(c.node("b").messenger.stats().authenticationFailures()).isEqualTo(fromA);
        assertThat(c.node("b").messenger.stats("a").authenticationFailures()).isEqualTo(fromA);
        assertThat(c.node("a").acked).isEmpty();
    }

    @Test
    void wrongKeyIsDroppedAndCounted() {
        SimulatedCluster c = new SimulatedCluster(3);
        c.add("a", 1, b -> base().apply(b).authenticationKey(1, KEY_2)); // same id, other secret
        c.add("b", 2, keyed());
        c.startAll();
        c.node("a").send("b", bytes("x"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).isEmpty();
        assertThat(c.node("b").messenger.stats().authenticationFailures())
                .isEqualTo(c.node("a").datagramsSentTo(c.node("b"))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void forgedAckIsIgnoredWithAKeyAndBelievedWithout() {
        for (boolean withKey : new boolean[] {true, false}) {
            SimulatedCluster c = new SimulatedCluster(4);
            c.add("a", 1, withKey ? keyed() : base());
            c.add("b", 2, withKey ? keyed() : base());
            c.startAll();
            c.network.partition(c.node("a").address, c.node("b").address, 0, Long.MAX_VALUE); // b never hears
            SimulatedCluster.Node a = c.node("a");
            long id = a.send("b", bytes("x"), null);
            c.runFor(MS);
            // An attacker on the path spoofs b's address and acks the message it saw.
            c.network.inject(c.node("b").address, a.address,
                    forgedAck(1, a.messenger.incarnation(), id, c.clock.currentTimeMillis(), 2));
            c.runFor(MS);
            if (withKey) {
                assertThat(a.acked).isEmpty();
                assertThat(a.messenger.stats().authenticationFailures()).isEqualTo(1);
                c.runFor(10 * 100 * MS);
                assertThat(a.failures).hasSize(1); // the truth: it never arrived
            } else {
                assertThat(a.acked).containsExactly(id); // the documented limit of running without a key
            }
        }
    }

    @Test
    void keysRotateWithoutDowntime() {
        SimulatedCluster c = new SimulatedCluster(5);
        c.add("a", 1, b -> base().apply(b).authenticationKey(1, KEY_1).authenticationKey(2, KEY_2).sendKeyId(2));
        c.add("b", 2, b -> base().apply(b).authenticationKey(1, KEY_1).authenticationKey(2, KEY_2).sendKeyId(1));
        c.add("c", 3, keyed()); // knows only the old key
        c.startAll();
        c.node("a").send("b", bytes("new key"), null);
        c.node("b").send("a", bytes("old key"), null);
        c.node("a").send("c", bytes("new key to old-only"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(c.node("a").delivered).hasSize(1);
        assertThat(c.node("c").delivered).isEmpty();
        assertThat(c.node("c").messenger.stats().authenticationFailures())
                .isEqualTo(c.node("a").datagramsSentTo(c.node("c"))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void replayedDataIsNeverDeliveredTwiceNorRevived() {
        SimulatedCluster c = new SimulatedCluster(6);
        c.add("a", 1, keyed());
        c.add("b", 2, keyed());
        c.startAll();
        List<byte[]> wire = capture(c, "a", "b");
        SimulatedCluster.Node a = c.node("a");
        SimulatedCluster.Node b = c.node("b");
        a.send("b", bytes("once"), null);
        c.runFor(MS);
        byte[] captured = wire.get(0);
        assertThat(b.delivered).hasSize(1);

        // within the window: a duplicate, re-acked, not delivered
        c.network.inject(a.address, b.address, captured);
        c.runFor(MS);
        assertThat(b.delivered).hasSize(1);
        assertThat(b.messenger.stats("a").duplicates()).isEqualTo(1);

        // just after interval + skew: stale, dropped, not acked
        c.runFor(120 * MS);
        c.network.inject(a.address, b.address, captured);
        c.runFor(MS);
        assertThat(b.delivered).hasSize(1);
        assertThat(b.messenger.stats("a").staleMessagesDropped()).isEqualTo(1);

        // long after (an hour): stale, and the duplicate window may be long gone
        c.runFor(3_600_000 * MS);
        c.network.inject(a.address, b.address, captured);
        c.runFor(MS);
        assertThat(b.delivered).hasSize(1);
        assertThat(b.messenger.stats("a").staleMessagesDropped()).isEqualTo(2);

        // across a sender restart: the old incarnation's frame replayed at once is a duplicate of the
        // old window; the new incarnation, whose ids start again, is delivered normally
        a.send("b", bytes("second"), null);
        c.runFor(MS);
        byte[] beforeRestart = wire.get(wire.size() - 1);
        a.crash();
        a.start();
        c.network.inject(a.address, b.address, beforeRestart);
        a.send("b", bytes("new incarnation"), null);
        c.runFor(MS);
        assertThat(b.delivered).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("once", "second", "new incarnation");
        assertThat(b.messenger.stats("a").duplicates()).isEqualTo(2);
        assertThat(a.ackedByIncarnation(a.messenger.incarnation())).hasSize(1);
    }

    @Test
    void replayedAckOfAnEarlierIncarnationDoesNotAckTheNewOne() {
        SimulatedCluster c = new SimulatedCluster(7);
        c.add("a", 1, keyed());
        c.add("b", 2, keyed());
        c.startAll();
        List<byte[]> acks = capture(c, "b", "a");
        SimulatedCluster.Node a = c.node("a");
        a.send("b", bytes("old"), null);
        c.runFor(MS);
        a.crash();
        a.start();
        c.network.partition(a.address, c.node("b").address, c.clock.nanoTime(), Long.MAX_VALUE);
        long id = a.send("b", bytes("new"), null); // same msg id 1, new incarnation
        c.network.inject(c.node("b").address, a.address, acks.get(0)); // replay of a genuine, signed ack
        c.runFor(MS);
        assertThat(id).isEqualTo(1);
        assertThat(a.ackedByIncarnation(a.messenger.incarnation())).isEmpty();
        assertThat(a.messenger.stats("b").unmatchedAcks()).isEqualTo(1);
    }

    @Test
    void datagramsWithTheWrongClientIdFromAPeersAddressAreDropped() {
        SimulatedCluster c = new SimulatedCluster(8);
        c.add("a", 666, base());
        c.add("b", 2, b -> base().apply(b).peerClientId("a", 1));
        c.startAll();
        c.node("a").send("b", bytes("x"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).isEmpty();
        assertThat(c.node("b").messenger.stats().unknownSourceDropped())
                .isEqualTo(c.node("a").datagramsSentTo(c.node("b"))).isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> MessengerConfig.builder().clientId(1).peerClientId("ghost", 5).build())
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo(MessengerSetting.PEER_CLIENT_ID);
                    assertThat(e.key()).contains("ghost");
                })
                .hasMessage("peerClientId 'ghost' names a peer that is not configured");
    }

    /** A header alone (no frames: malformed) from {@code clientId}: the shortest datagram checked for its id. */
    private static byte[] headerOnly(int clientId) {
        return ByteBuffer.allocate(WireFormat.HEADER_LENGTH)
                .putShort((short) WireFormat.MAGIC).put((byte) WireFormat.VERSION)
                .put((byte) 0).putInt(clientId).putLong(42).putShort((short) 0).putShort((short) 0).array();
    }

    @Test
    void aPinnedPeerIsHeardWithItsOwnIdAndEvenABareHeaderWithAnotherIdIsDroppedAsAStranger() {
        SimulatedCluster c = new SimulatedCluster(18);
        c.add("a", 1, base());
        c.add("b", 2, b -> base().apply(b).peerClientId("a", 1));
        c.startAll();
        long id = c.node("a").send("b", bytes("x"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).extracting(InboundMessage::msgId).containsExactly(id);
        long dropped = c.node("b").messenger.stats().unknownSourceDropped();

        c.network.inject(c.node("a").address, c.node("b").address, headerOnly(666));
        c.runFor(MS);
        assertThat(c.node("b").messenger.stats().unknownSourceDropped()).isEqualTo(dropped + 1);
        c.network.inject(c.node("a").address, c.node("b").address, headerOnly(1));
        c.runFor(MS);
        assertThat(c.node("b").messenger.stats().unknownSourceDropped()).as("its own id passes").isEqualTo(dropped + 1);
        assertThat(c.node("b").messenger.stats().malformedDropped()).as("and then fails validation: no frame")
                .isEqualTo(1);
    }

    @Test
    void anOptionalFrameOfAnUnknownTypeFromAPeerIsSkippedAndCountedNotDropped() {
        SimulatedCluster c = new SimulatedCluster(19);
        c.add("a", 1, base());
        c.add("b", 2, base());
        c.startAll();
        c.runFor(MS);
        ByteBuffer d = ByteBuffer.allocate(WireFormat.HEADER_LENGTH + WireFormat.OPTIONAL_FRAME_HEAD_LENGTH + 3);
        d.put(headerOnly(1)).putShort(WireFormat.FRAME_COUNT_OFFSET, (short) 1);
        d.put((byte) 0x7F).put((byte) 0).putShort((short) 3).put(new byte[] {9, 9, 9}); // a later revision's frame
        c.network.inject(c.node("a").address, c.node("b").address, d.array());
        c.runFor(MS);
        assertThat(c.node("b").messenger.stats("a").unknownFramesSkipped()).isEqualTo(1);
        assertThat(c.node("b").messenger.stats().malformedDropped()).isZero();
    }

    @Test
    void garbageFloodFromAPeerIsCountedAndRetainsNothing() {
        SimulatedCluster c = new SimulatedCluster(9);
        c.add("a", 1, base());
        c.add("b", 2, base());
        c.startAll();
        SplittableRandom random = new SplittableRandom(9);
        int flood = Integer.getInteger("fuzz.datagrams", 100_000);
        int valid = 0;
        for (int i = 0; i < flood; i++) {
            byte[] garbage = new byte[random.nextInt(1, 600)];
            random.nextBytes(garbage);
            if (random.nextBoolean() && garbage.length > 3) {
                garbage[0] = 0x52;
                garbage[1] = 0x4D;
                garbage[2] = 1;
            }
            if (DatagramReader.validate(ByteBuffer.wrap(garbage)) == null) {
                valid++;
            }
            c.network.inject(c.node("a").address, c.node("b").address, garbage);
            if (i % 1000 == 0) {
                c.runFor(MS);
            }
        }
        c.runFor(MS);
        MessengerStats s = c.node("b").messenger.stats();
        assertThat(s.malformedDropped()).isEqualTo(flood - valid);
        assertThat(c.node("b").messenger.engine().trackedPeers()).isEqualTo(1);
        assertThat(c.node("b").messenger.engine().trackedIncarnations()).isLessThanOrEqualTo(4);
        c.node("a").send("b", bytes("still works"), null);
        c.runFor(MS);
        assertThat(c.node("b").delivered).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .contains("still works");
    }

    @Test
    void floodOfFakeClientIdsAndUnknownMessageIdsKeepsStateBounded() {
        SimulatedCluster c = new SimulatedCluster(10);
        c.add("a", 1, base());
        c.add("b", 2, base());
        c.startAll();
        InetSocketAddress a = c.node("a").address;
        InetSocketAddress b = c.node("b").address;
        for (int i = 0; i < 10_000; i++) {
            DatagramWriter w = new DatagramWriter(200);
            w.begin(50_000 + i, i, 0); // a new fake sender incarnation every datagram
            w.tryAppendData(i, c.clock.currentTimeMillis(), 1, bytes("fake"), 0);
            w.tryAppendAck(2, c.node("b").messenger.incarnation(), 1_000_000 + i, c.clock.currentTimeMillis(),
                    c.clock.currentTimeMillis(), 1, 0); // acks for ids b never sent
            ByteBuffer d = w.finish();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            c.network.inject(a, b, out);
        }
        c.runFor(MS);
        ReliableMessenger rb = c.node("b").messenger;
        assertThat(rb.engine().trackedIncarnations()).isEqualTo(4);      // maxSenderIncarnationsPerPeer
        assertThat(rb.stats("a").outsideWindowDropped()).isEqualTo(10_000 - 4);
        assertThat(rb.stats("a").unmatchedAcks()).isEqualTo(10_000);
        assertThat(rb.pendingCount()).isZero();
    }

    @Test
    void unknownSourcesAreBoundedWhenAccepted() {
        SimulatedCluster c = new SimulatedCluster(11);
        c.add("b", 2, b -> base().apply(b).acceptUnknownPeers(true).maxUnknownPeers(16));
        c.startAll();
        for (int i = 0; i < 1000; i++) {
            DatagramWriter w = new DatagramWriter(200);
            w.begin(i, i, 0);
            w.tryAppendData(1, c.clock.currentTimeMillis(), 1, bytes("hi"), 0);
            ByteBuffer d = w.finish();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            c.network.inject(new InetSocketAddress("10.1." + (i / 250) + "." + (i % 250), 9000),
                    c.node("b").address, out);
        }
        c.runFor(MS);
        ReliableMessenger rb = c.node("b").messenger;
        assertThat(rb.engine().trackedPeers()).isEqualTo(16);
        assertThat(rb.stats().unknownSourceDropped()).isEqualTo(1000 - 16);
        assertThat(c.node("b").delivered).hasSize(16);
    }

    @Test
    void visitorNeverSeesFramesOfARejectedDatagram() {
        byte[] valid = forgedAck(1, 1, 1, 1, 1);
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 1);
        int[] frames = {0};
        DatagramReader.read(ByteBuffer.wrap(truncated), null, new FrameVisitor<Object>() {
            @Override
            public void onData(Object context, int a, long b, long m, long s, int t, ByteBuffer d, int o, int l) {
                frames[0]++;
            }

            @Override
            public void onAck(Object context, int a, long b, int oc, long oi, long m, long e, long t, int x) {
                frames[0]++;
            }
        });
        assertThat(frames[0]).isZero();
    }
}
