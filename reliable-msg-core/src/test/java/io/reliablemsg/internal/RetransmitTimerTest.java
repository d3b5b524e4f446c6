package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sender's timer scan and its kept earliest deadline: exact after a scan, lowered by each message hung
 * on the chain, early (never late) after an ack, postponed by a throttle; and, over random adds, acks and
 * scans on many peers, never later than the earliest deadline searched for by brute force, and never a scan
 * behind it (a scan at the bound finds the bound exact again).
 */
class RetransmitTimerTest {
    private static final long INTERVAL = 100;
    private static final long HALF = INTERVAL / 2;

    private final List<Long> retransmitted = new ArrayList<>();
    private final List<Long> exhausted = new ArrayList<>();
    private final RetransmitChain.Listener listener = new RetransmitChain.Listener() {
        @Override
        public void onRetransmit(PendingMessage m, long nowNs, long nowMillis) {
            retransmitted.add(m.msgId());
        }

        @Override
        public void onExhausted(PendingMessage m, long nowNs) {
            exhausted.add(m.msgId());
        }
    };

    private static PeerSendState peer(int index) {
        String name = "p" + index;
        PeerPaths paths = new PeerPaths(name, index, List.of(new InetSocketAddress("10.0.0.1", 7000 + index)), 1472);
        return new PeerSendState(name, index, paths, new PeerLiveness(name, paths),
                new PeerCapabilities(name, paths, true));
    }

    private static SendPeers peers(int count) {
        SendPeers peers = new SendPeers(count);
        for (int i = 0; i < count; i++) {
            peers.install(peer(i));
        }
        return peers;
    }

    @Test
    void theBoundIsExactAfterAScanLoweredByAnAddAndEarlyAfterAnAck() {
        RetransmitChain chain = new RetransmitChain(16, 2, INTERVAL, 3);
        SendPeers peers = peers(2);
        RetransmitTimer timer = new RetransmitTimer(chain, peers, 8, HALF);
        assertThat(timer.nextDeadlineNs()).as("empty chain").isEqualTo(Long.MAX_VALUE);

        PendingMessage a = new PendingMessage(1, 0, new byte[1], null);
        chain.add(a, 1000);
        timer.onAdded(peers.get(0));
        PendingMessage b = new PendingMessage(2, 1, new byte[1], null);
        chain.add(b, 1010);
        timer.onAdded(peers.get(1));
        assertThat(timer.nextDeadlineNs()).isEqualTo(1000 + INTERVAL);

        chain.remove(a); // acked: the bound stays, early
        assertThat(timer.nextDeadlineNs()).isEqualTo(1000 + INTERVAL);
        timer.run(1000 + INTERVAL, 0, listener);
        assertThat(retransmitted).as("nothing was due").isEmpty();
        assertThat(timer.nextDeadlineNs()).as("exact again: b's deadline").isEqualTo(1010 + INTERVAL);

        timer.run(1010 + INTERVAL, 0, listener);
        assertThat(retransmitted).containsExactly(2L);
        assertThat(timer.nextDeadlineNs()).as("b's next deadline").isEqualTo(1010 + 2 * INTERVAL);
    }

    @Test
    void aScanThatUsesUpThePeersBudgetPostponesItHalfAnInterval() {
        RetransmitChain chain = new RetransmitChain(16, 1, INTERVAL, 3);
        SendPeers peers = peers(1);
        RetransmitTimer timer = new RetransmitTimer(chain, peers, 1, HALF);
        for (long id = 1; id <= 2; id++) {
            chain.add(new PendingMessage(id, 0, new byte[1], null), 1000);
            timer.onAdded(peers.get(0));
        }
        timer.run(1000 + INTERVAL, 0, listener);
        assertThat(retransmitted).as("budget of one").containsExactly(1L);
        assertThat(timer.nextDeadlineNs()).as("message 2 is due, but the peer is throttled")
                .isEqualTo(1000 + INTERVAL + HALF);
        timer.run(1000 + INTERVAL + 1, 0, listener);
        assertThat(retransmitted).as("still throttled").containsExactly(1L);
        timer.run(1000 + INTERVAL + HALF, 0, listener);
        assertThat(retransmitted).containsExactly(1L, 2L);
    }

    @Test
    void aMessageHungOnTheChainDuringAScanLowersTheBoundItLeaves() {
        RetransmitChain chain = new RetransmitChain(16, 2, INTERVAL, 0);
        SendPeers peers = peers(2);
        RetransmitTimer timer = new RetransmitTimer(chain, peers, 8, HALF);
        chain.add(new PendingMessage(1, 1, new byte[1], null), 1000);
        timer.onAdded(peers.get(1));
        // peer 1's message runs out of retries; its failure listener (say) sends a message to peer 0, already scanned
        timer.run(1000 + INTERVAL, 0, new RetransmitChain.Listener() {
            @Override
            public void onRetransmit(PendingMessage m, long nowNs, long nowMillis) {
            }

            @Override
            public void onExhausted(PendingMessage m, long nowNs) {
                chain.add(new PendingMessage(2, 0, new byte[1], null), nowNs);
                timer.onAdded(peers.get(0));
            }
        });
        assertThat(timer.nextDeadlineNs()).isEqualTo(1000 + 2 * INTERVAL);
    }

    @Test
    void overRandomAddsAcksAndScansOnManyPeersTheBoundIsNeverLateAndAScanAtItMakesItExact() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int peerCount = 1 + random.nextInt(12);
            RetransmitChain chain = new RetransmitChain(64, peerCount, INTERVAL, random.nextInt(4));
            SendPeers peers = peers(peerCount);
            RetransmitTimer timer = new RetransmitTimer(chain, peers, 1 + random.nextInt(3), HALF);
            List<PendingMessage> onChain = new ArrayList<>();
            long now = 1_000;
            long nextId = 1;
            for (int step = 0; step < 300; step++) {
                now += random.nextInt(40);
                int op = random.nextInt(10);
                if (op < 4 && chain.size() < chain.capacity()) {
                    PendingMessage m = new PendingMessage(nextId++, random.nextInt(peerCount), new byte[1], null);
                    chain.add(m, now);
                    timer.onAdded(peers.get(m.peer()));
                    onChain.add(m);
                } else if (op < 7 && !onChain.isEmpty()) {
                    chain.remove(onChain.remove(random.nextInt(onChain.size())));
                } else if (timer.nextDeadlineNs() <= now) { // as the loop does: a scan only when the bound is due
                    timer.run(now, 0, listener);
                    onChain.removeIf(m -> chain.get(m.msgId()) == null);
                    assertThat(timer.nextDeadlineNs()).as("seed %d step %d: exact after a scan", seed, step)
                            .isEqualTo(exact(chain, peers));
                }
                assertThat(timer.nextDeadlineNs()).as("seed %d step %d: never late", seed, step)
                        .isLessThanOrEqualTo(exact(chain, peers));
            }
        }
    }

    private static long exact(RetransmitChain chain, SendPeers peers) {
        long earliest = Long.MAX_VALUE;
        for (PeerSendState peer : peers.active()) {
            earliest = Math.min(earliest, Math.max(chain.nextDeadlineNs(peer.index), peer.throttledUntilNs));
        }
        return earliest;
    }
}
