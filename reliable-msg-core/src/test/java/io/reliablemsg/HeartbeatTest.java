package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Liveness of idle peers (docs/PROTOCOL.md, gap 5): pings, pongs, unreachable and back. */
class HeartbeatTest {
    private static final long MS = 1_000_000L;

    /** Frames seen on the wire, by type. */
    private static final class FrameCounts implements FrameVisitor<Object> {
        int data;
        int pings;
        int pongs;

        @Override
        public void onData(Object context, int c, long i, long m, long s, int t, ByteBuffer d, int o, int l) {
            data++;
        }

        @Override
        public void onAck(Object context, int c, long i, int oc, long oi, long m, long e, long a, int t) {
        }

        @Override
        public void onPing(Object context, int c, long i, long sendTimeMillis) {
            pings++;
        }

        @Override
        public void onPong(Object context, int c, long i, long echoed, long pongTime) {
            pongs++;
        }
    }

    private static SimulatedCluster cluster(long seed, Duration heartbeat, FrameCounts counts) {
        UnaryOperator<MessengerConfig.Builder> settings = b -> b.interval(Duration.ofMillis(100)).maxRetries(3)
                .heartbeatInterval(heartbeat);
        SimulatedCluster c = new SimulatedCluster(seed);
        c.add("a", 1, settings);
        c.add("b", 2, settings);
        c.network.sendObserver((from, to, datagram, now) -> DatagramReader.read(ByteBuffer.wrap(datagram), null, counts));
        c.startAll();
        return c;
    }

    @Test
    void zeroTurnsThemOffSoAnIdleLinkIsSilent() {
        FrameCounts counts = new FrameCounts();
        SimulatedCluster c = cluster(1, Duration.ZERO, counts);
        c.runFor(1_000 * MS);
        long capabilityExchange = c.capabilityDatagramsSent(); // what each peer reads is found out once
        assertThat(capabilityExchange).isPositive();
        c.runFor(4_000 * MS);
        assertThat(c.protocolDatagramsSent()).isZero();
        assertThat(c.capabilityDatagramsSent()).isEqualTo(capabilityExchange);
    }

    @Test
    void onByDefaultOnceASecondSoAStoppedIdlePeerIsFoundUnreachable() {
        assertThat(MessengerConfig.builder().clientId(1).build().heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        FrameCounts counts = new FrameCounts();
        UnaryOperator<MessengerConfig.Builder> defaults = b -> b.maxRetries(3); // interval, heartbeats: defaults
        SimulatedCluster c = new SimulatedCluster(6);
        c.add("a", 1, defaults);
        c.add("b", 2, defaults);
        c.network.sendObserver((from, to, datagram, now) -> DatagramReader.read(ByteBuffer.wrap(datagram), null, counts));
        c.startAll();
        c.runFor(10_000 * MS);
        assertThat(counts.pings).as("an idle pair: a ping a second from one side or the other").isBetween(5, 21);
        assertThat(counts.pongs).isEqualTo(counts.pings);
        assertThat(c.node("a").messenger.stats("b").reachable()).isTrue();
        c.node("b").crash();
        c.runFor(3_500 * MS);
        assertThat(c.node("a").messenger.stats("b").reachable()).as("3.5 s of silence: not yet 4 pings").isTrue();
        c.runFor(2_000 * MS);
        assertThat(c.node("a").messenger.stats("b").reachable())
                .as("maxRetries + 1 = 4 unanswered pings, a second apart, with no message sent").isFalse();
    }

    @Test
    void idlePeersArePingedAndEveryPingIsAnswered() {
        FrameCounts counts = new FrameCounts();
        SimulatedCluster c = cluster(2, Duration.ofMillis(200), counts);
        c.runFor(2_000 * MS);
        assertThat(counts.pings).isBetween(8, 22); // one side or the other pings every 200 ms of silence
        assertThat(counts.pongs).isEqualTo(counts.pings);
        assertThat(c.node("a").messenger.stats("b").reachable()).isTrue();
        assertThat(c.node("b").messenger.stats("a").reachable()).isTrue();
        assertThat(c.node("a").messenger.stats("b").clockOffsetMillis()).isZero();
    }

    @Test
    void aBusyLinkNeedsNoPings() {
        FrameCounts counts = new FrameCounts();
        SimulatedCluster c = cluster(3, Duration.ofMillis(200), counts);
        c.runFor(MS); // first timer pass starts the heartbeat clocks
        for (int i = 0; i < 40; i++) {
            c.node("a").send("b", new byte[] {1}, null);
            c.node("b").send("a", new byte[] {2}, null);
            c.runFor(50 * MS);
        }
        assertThat(counts.data).isEqualTo(80);
        assertThat(counts.pings).isZero();
    }

    @Test
    void aSilentPeerIsReportedUnreachableWithoutAnyMessageAndReachableAgainWhenItAnswers() {
        FrameCounts counts = new FrameCounts();
        SimulatedCluster c = cluster(4, Duration.ofMillis(200), counts);
        // cut from the start (the silence is counted from the first timer pass, at time 0)
        c.network.partition(c.node("a").address, c.node("b").address, 0, 2_000 * MS);
        c.runUntil(4 * 200 * MS - MS); // timeout = (maxRetries + 1) x heartbeat = 800 ms
        assertThat(c.node("a").messenger.stats("b").reachable()).isTrue();
        assertThat(counts.pings).isEqualTo(6); // 200, 400, 600 ms from each side, all lost
        c.runUntil(4 * 200 * MS);
        assertThat(c.node("a").messenger.stats("b").reachable()).isFalse();
        assertThat(c.node("a").failures).isEmpty(); // no message was involved
        c.runUntil(2_000 * MS + 50 * MS);  // link back at 2 s: the ping sent then is answered
        assertThat(c.node("a").messenger.stats("b").reachable()).isTrue();
        assertThat(c.node("b").messenger.stats("a").reachable()).isTrue();
    }

    @Test
    void rejectsANegativeOrSubMillisecondInterval() {
        assertThatThrownBy(() -> MessengerConfig.builder().heartbeatInterval(Duration.ofMillis(-1)))
                .hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> MessengerConfig.builder().heartbeatInterval(Duration.ofNanos(10)))
                .hasMessageContaining("heartbeatInterval");
    }
}
