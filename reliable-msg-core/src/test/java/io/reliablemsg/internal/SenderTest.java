package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.SendFailure;
import io.reliablemsg.FailureReason;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.PendingMessagePool;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Sender} against stub roles, time by hand: an ack's latency counts from the first send; an
 * ack is a reply on the path it came by and proof of reachability; an ack whose round trip is the
 * interval is taken and one a millisecond older is dropped (S9); each copy remembers the path it took,
 * so the next timeout is charged to that path; when a timeout fails a path, the messages whose last
 * copy went there and that are not due yet go over the new path at once, the others stay. An entry goes back
 * to the pool only once its outcome is built (a request's at its reply), and comes back as new.
 */
class SenderTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 100 * MS;
    private static final long T0 = 9_000 * MS;
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final int CLIENT_ID = 1;
    private static final long INCARNATION = 5;

    private final PeerPaths paths = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.1.0.2", 7000),
            new InetSocketAddress("10.2.0.2", 7000), new InetSocketAddress("10.3.0.2", 7000)), 1472);
    private final PeerLiveness liveness = new PeerLiveness("b", paths);
    private final PeerSendState peer = new PeerSendState("b", 0, paths, liveness, new PeerCapabilities("b", paths, true));

    /** Where each DATA copy went: "msgId@path". */
    private final List<String> copies = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<SendFailure> failures = new ArrayList<>();
    private final PendingMessagePool entries = new PendingMessagePool(16);
    /** Path the next datagram takes, and the one a retransmission takes after a timeout. */
    private int routeTo;
    private int retransmitTo;
    /** Whether the next timeout fails the path it is charged to. */
    private boolean failOnTimeout;

    private Sender sender() {
        return sender(MessengerConfig.builder().clientId(CLIENT_ID).interval(Duration.ofNanos(INTERVAL))
                .maxRetries(3).build());
    }

    private Sender sender(MessengerConfig config) {
        DataOut out = (to, m, nowMillis) -> copies.add(m.msgId() + "@" + indexOf(to));
        Routes routes = new Routes() {
            @Override
            public PeerPath route(PeerPaths p) {
                return p.paths[routeTo];
            }

            @Override
            public PeerPath onCopyTimedOut(PeerPaths p, PeerPath path, long nowNs) {
                events.add("timeout on " + path.index);
                if (failOnTimeout) {
                    path.failures.incrementAndGet();
                    failOnTimeout = false;
                }
                return p.paths[retransmitTo];
            }

            @Override
            public void onReply(PeerPaths p, PeerPath path, long echoedSendTimeMillis, long nowMillis) {
                events.add("reply on " + path.index + " echo " + echoedSendTimeMillis);
            }
        };
        PeerHealth health = new PeerHealth() {
            @Override
            public void onTimestampedReply(PeerLiveness p, long echoed, long replyTime, long nowNs, long nowMillis) {
            }

            @Override
            public void onAcked(PeerLiveness p) {
                events.add("reachable");
            }

            @Override
            public void onExhausted(PeerLiveness p, long msgId, int transmissions) {
                events.add("exhausted " + msgId);
            }
        };
        SendOutcomes outcomes = new SendOutcomes() {
            @Override
            public void acked(String name, int index, long msgId, long latencyNs, int transmissions) {
                events.add("acked " + msgId + " after " + latencyNs / MS + " ms, " + transmissions + " copies");
            }

            @Override
            public void failed(SendFailure failure, int index) {
                events.add("failed " + failure.msgId());
                failures.add(failure);
            }
        };
        PeerFeatures features = new PeerFeatures() {
            @Override
            public boolean reads(PeerCapabilities p, long feature) {
                return true;
            }

            @Override
            public boolean settled(PeerCapabilities p) {
                return true;
            }
        };
        return new Sender(config, INCARNATION, new PeerSendState[] {peer}, out, routes, health, outcomes,
                new RateLimitedLog(System.getLogger(SenderTest.class.getName()), Level.DEBUG, 1),
                new Requests(config, features, (name, index, msgId, reply, roundTripNs, transmissions) ->
                        events.add("replied " + msgId)), entries);
    }

    private int indexOf(PeerOutbox box) {
        for (PeerPath p : paths.paths) {
            if (p.outbox == box) {
                return p.index;
            }
        }
        throw new AssertionError("not a path of b");
    }

    private static PendingMessage message(long id) {
        return new PendingMessage(id, 0, new byte[] {1}, new byte[0]);
    }

    @Test
    void anAckIsAReplyOnItsPathProvesReachabilityAndReportsTheLatencySinceTheFirstSend() {
        Sender sender = sender();
        sender.submit(message(1), T0, NOW_MILLIS);
        sender.runTimers(T0 + INTERVAL, NOW_MILLIS + 100); // one retransmission
        events.clear();

        sender.onAck(peer, paths.paths[2], CLIENT_ID, INCARNATION, 1, NOW_MILLIS + 100, NOW_MILLIS + 110,
                T0 + INTERVAL + 30 * MS, NOW_MILLIS + 130);

        assertThat(events).containsExactly("reply on 2 echo " + (NOW_MILLIS + 100), "reachable",
                "acked 1 after 130 ms, 2 copies");
        assertThat(peer.acked.get()).isOne();
        assertThat(sender.chainSize()).isZero();
    }

    @Test
    void anAckWhoseRoundTripIsTheIntervalIsTakenAndOneAMillisecondOlderIsStale() {
        Sender sender = sender();
        sender.submit(message(1), T0, NOW_MILLIS);
        sender.submit(message(2), T0, NOW_MILLIS);

        sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 1, NOW_MILLIS, NOW_MILLIS, T0, NOW_MILLIS + 101);
        assertThat(peer.staleAcksDropped.get()).isOne();
        assertThat(sender.chainSize()).as("still waiting for a fresh ack").isEqualTo(2);

        sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 2, NOW_MILLIS, NOW_MILLIS, T0, NOW_MILLIS + 100);
        assertThat(peer.acked.get()).isOne();
        assertThat(sender.chainSize()).isOne();
    }

    @Test
    void eachCopyRemembersItsPathSoTheNextTimeoutIsChargedToThatPath() {
        Sender sender = sender();
        routeTo = 1;
        retransmitTo = 2;
        sender.submit(message(1), T0, NOW_MILLIS);
        assertThat(copies).containsExactly("1@1");

        sender.runTimers(T0 + INTERVAL, NOW_MILLIS);
        assertThat(events).containsExactly("timeout on 1");
        assertThat(copies).containsExactly("1@1", "1@2");

        retransmitTo = 0;
        sender.runTimers(T0 + 2 * INTERVAL, NOW_MILLIS);
        assertThat(events).containsExactly("timeout on 1", "timeout on 2");
        assertThat(copies).last().isEqualTo("1@0");
    }

    @Test
    void whenATimeoutFailsAPathTheMessagesSentThereThatAreNotDueGoOverTheNewPathAtOnce() {
        Sender sender = sender();
        sender.submit(message(1), T0, NOW_MILLIS);                // path 0, due at T0 + interval
        sender.submit(message(2), T0 + 10 * MS, NOW_MILLIS);      // path 0
        routeTo = 2;
        sender.submit(message(3), T0 + 20 * MS, NOW_MILLIS);      // path 2: not on the failed path
        copies.clear();

        failOnTimeout = true;
        retransmitTo = 1;
        sender.runTimers(T0 + INTERVAL, NOW_MILLIS);

        assertThat(copies).as("1 retransmitted on path 1, then 2 moved there; 3 stays").containsExactly("1@1", "2@1");
        assertThat(peer.failoverCopies.get()).isOne();
        assertThat(peer.retransmitted.get()).isOne();

        sender.runTimers(T0 + 10 * MS + INTERVAL, NOW_MILLIS);
        assertThat(events).as("2's next timeout is charged to the path it moved to").last().isEqualTo("timeout on 1");
    }

    @Test
    void aTimeoutThatFailsNoPathMovesNothing() {
        Sender sender = sender();
        sender.submit(message(1), T0, NOW_MILLIS);
        sender.submit(message(2), T0 + 10 * MS, NOW_MILLIS);
        copies.clear();
        retransmitTo = 1; // another usable path, but path 0 did not fail
        sender.runTimers(T0 + INTERVAL, NOW_MILLIS);
        assertThat(copies).containsExactly("1@1");
        assertThat(peer.failoverCopies.get()).isZero();
    }

    @Test
    void aReplyIsAReplyOnItsPathAndProofOfReachabilityAndEndsTheRequest() {
        Sender sender = sender();
        sender.submit(new PendingMessage(1, 0, new byte[] {1}, new byte[0], true), T0, NOW_MILLIS);
        sender.submit(new PendingMessage(2, 0, new byte[] {1}, new byte[0], true), T0, NOW_MILLIS);
        events.clear();

        sender.onReply(peer, paths.paths[2], CLIENT_ID, INCARNATION, 1, NOW_MILLIS, false,
                ByteBuffer.wrap(new byte[] {9}), 0, 1, T0 + 20 * MS, NOW_MILLIS + 20);
        assertThat(events).containsExactly("reply on 2 echo " + NOW_MILLIS, "reachable", "replied 1");

        events.clear();
        sender.onReply(peer, paths.paths[1], CLIENT_ID, INCARNATION, 2, NOW_MILLIS + 5, true,
                ByteBuffer.wrap(new byte[0]), 0, 0, T0 + 30 * MS, NOW_MILLIS + 30);
        assertThat(events).as("a no-reply answer is a reply too").containsExactly(
                "reply on 1 echo " + (NOW_MILLIS + 5), "reachable", "failed 2");
        assertThat(sender.chainSize()).isZero();
        assertThat(peer.repliesReceived.get()).isOne();
    }

    @Test
    void withAReorderingWindowOfZeroAnAckProvesLostWhatWasSentANanosecondBeforeTheAckedCopy() {
        Sender sender = sender(MessengerConfig.builder().clientId(CLIENT_ID).interval(Duration.ofNanos(INTERVAL))
                .maxRetries(3).fastRetransmit(true).reorderingWindow(Duration.ZERO).build());
        sender.submit(message(1), T0, NOW_MILLIS);
        sender.submit(message(2), T0 + 1, NOW_MILLIS);
        copies.clear();

        sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 2, NOW_MILLIS, NOW_MILLIS, T0 + 10 * MS,
                NOW_MILLIS + 10);
        assertThat(copies).as("not before the whole datagram is read").isEmpty();
        sender.afterAcks(peer, T0 + 10 * MS, NOW_MILLIS + 10);

        assertThat(copies).as("1 resent at once, before its timer").containsExactly("1@0");
        assertThat(peer.fastRetransmits.get()).isOne();
        assertThat(peer.retransmitted.get()).as("an early copy is no retransmission").isZero();
    }

    @Test
    void afterAnAddressChangeOnlyWhatWentToAnAddressThePeerNoLongerHasIsSentAgainAtOnce() {
        Sender sender = sender();
        sender.submit(message(1), T0, NOW_MILLIS);           // path 0, whose address stays
        routeTo = 2;
        sender.submit(message(2), T0, NOW_MILLIS);           // path 2, whose address goes
        copies.clear();
        routeTo = 1;

        sender.failover().readdressed(peer, new int[] {0, 1}, T0 + 10 * MS, NOW_MILLIS); // old paths 0 and 1 stay, 2 is gone

        assertThat(copies).containsExactly("2@1");
        assertThat(peer.failoverCopies.get()).isOne();
        assertThat(peer.retransmitted.get()).as("a move, not a retransmission").isZero();
    }

    @Test
    void anAckedMessageGivesItsEntryBackAndTheNextSendGetsItAsNew() {
        Sender sender = sender();
        PendingMessage first = entries.take(1, 0, new byte[] {1}, new byte[] {7}, false);
        sender.submit(first, T0, NOW_MILLIS);
        sender.runTimers(T0 + INTERVAL, NOW_MILLIS + 100); // a second copy
        assertThat(entries.size()).as("not before its ack").isZero();
        sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 1, NOW_MILLIS + 100, NOW_MILLIS + 110,
                T0 + INTERVAL + 30 * MS, NOW_MILLIS + 130);
        assertThat(entries.size()).isOne();

        PendingMessage second = entries.take(2, 0, new byte[] {2, 2}, new byte[0], false);
        assertThat(second).isSameAs(first);
        assertThat(second.transmissions()).isZero();
        assertThat(second.payload()).containsExactly(2, 2);
        events.clear();
        copies.clear();
        sender.submit(second, T0 + 5 * INTERVAL, NOW_MILLIS + 500);
        sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 1, NOW_MILLIS + 500, NOW_MILLIS + 505,
                T0 + 5 * INTERVAL + 10 * MS, NOW_MILLIS + 510);
        assertThat(peer.unmatchedAcks.get()).as("a late ack of 1 does not end 2").isOne();
        assertThat(sender.chainSize()).isOne();
        sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 2, NOW_MILLIS + 500, NOW_MILLIS + 510,
                T0 + 5 * INTERVAL + 20 * MS, NOW_MILLIS + 520);
        assertThat(copies).containsExactly("2@0");
        assertThat(events).as("its own latency and copies").contains("acked 2 after 20 ms, 1 copies");
        assertThat(sender.chainSize()).isZero();
    }

    @Test
    void aFailedMessagesFailureKeepsItsOwnIdAndUserBufferAfterItsEntryWasReused() {
        Sender sender = sender();
        PendingMessage first = entries.take(1, 0, new byte[] {1}, new byte[] {'o', 'n', 'e'}, false);
        sender.submit(first, T0, NOW_MILLIS);
        for (int i = 1; i <= 4; i++) {
            sender.runTimers(T0 + i * INTERVAL, NOW_MILLIS); // 3 retransmissions, then given up
        }
        assertThat(failures).hasSize(1);
        PendingMessage second = entries.take(2, 0, new byte[] {2}, new byte[] {'t', 'w', 'o'}, false);
        assertThat(second).isSameAs(first);
        sender.submit(second, T0 + 10 * INTERVAL, NOW_MILLIS);
        sender.remove(peer); // fails it with PEER_REMOVED

        assertThat(failures.get(0).msgId()).isEqualTo(1);
        assertThat(failures.get(0).userBuffer()).containsExactly('o', 'n', 'e');
        assertThat(failures.get(0).reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
        assertThat(failures.get(0).transmissions()).isEqualTo(4);
        assertThat(failures.get(1).msgId()).isEqualTo(2);
        assertThat(failures.get(1).userBuffer()).containsExactly('t', 'w', 'o');
        assertThat(failures.get(1).transmissions()).isOne();
        assertThat(entries.size()).isOne();
    }

    @Test
    void aRequestKeepsItsEntryUntilItsReplyAndTheNextMessageStartsItsRetriesAfresh() {
        Sender sender = sender();
        PendingMessage request = entries.take(1, 0, new byte[] {1}, new byte[0], true);
        sender.submit(request, T0, NOW_MILLIS);
        for (int i = 1; i <= 3; i++) { // three copies more, each acked: its retries restart each time
            sender.runTimers(T0 + i * INTERVAL, NOW_MILLIS + i * 100L);
            sender.onAck(peer, paths.paths[0], CLIENT_ID, INCARNATION, 1, NOW_MILLIS + i * 100L,
                    NOW_MILLIS + i * 100L, T0 + i * INTERVAL + MS, NOW_MILLIS + i * 100L + 1);
        }
        assertThat(entries.size()).as("acked, but waiting for its reply").isZero();
        assertThat(sender.chainSize()).isOne();
        assertThat(entries.take(2, 0, new byte[] {2}, new byte[0], false)).isNotSameAs(request);

        sender.onReply(peer, paths.paths[0], CLIENT_ID, INCARNATION, 1, NOW_MILLIS + 300, false,
                ByteBuffer.wrap(new byte[] {9}), 0, 1, T0 + 3 * INTERVAL + 2 * MS, NOW_MILLIS + 302);
        assertThat(events).contains("replied 1");
        assertThat(entries.size()).isOne();

        PendingMessage message = entries.take(3, 0, new byte[] {3}, new byte[0], false);
        assertThat(message).isSameAs(request);
        assertThat(message.isRequest()).isFalse();
        events.clear();
        long t1 = T0 + 10 * INTERVAL;
        sender.submit(message, t1, NOW_MILLIS);
        for (int i = 1; i <= 3; i++) {
            sender.runTimers(t1 + i * INTERVAL, NOW_MILLIS);
        }
        assertThat(failures).as("maxRetries copies of its own, none left over from the request").isEmpty();
        sender.runTimers(t1 + 4 * INTERVAL, NOW_MILLIS);
        assertThat(events).contains("exhausted 3");
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.transmissions()).isEqualTo(4));
    }

    @Test
    void aMessageThatNeverReachesTheChainGivesBackItsBytesAndItsEntry() {
        Sender sender = sender();
        List<Long> released = new ArrayList<>();
        sender.chain().onBytesReleased(released::add);
        sender.failUnsent(entries.take(1, 0, new byte[3], new byte[] {1}, false), FailureReason.SHUTDOWN);
        sender.remove(peer);
        sender.submit(entries.take(2, 0, new byte[5], new byte[] {2}, false), T0, NOW_MILLIS);

        assertThat(released).as("maxPendingBytes: reserved at send, freed here").containsExactly(3L, 5L);
        assertThat(failures).extracting(SendFailure::reason)
                .containsExactly(FailureReason.SHUTDOWN, FailureReason.PEER_REMOVED);
        assertThat(failures.get(1).userBuffer()).containsExactly(2);
        assertThat(entries.size()).isOne();
        assertThat(copies).isEmpty();
    }
}
