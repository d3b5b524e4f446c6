package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.FrozenRevision4Node;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node of this release (revision 5) with a message tracer and one of the previous release
 * ({@link FrozenRevision4Node}, the frozen revision 4 codec) exchange messages both ways (docs/PROTOCOL.md, "Wire
 * evolution", 7.6, and "Trace context"): the revision 4 node answers the probe with revision 4, so it never gets a
 * TRACE_CONTEXT, not even skipped (the trace does not continue there, and nothing fails); what it sends arrives
 * without a trace context. Seeded simulated network, manual clock.
 */
class Revision4PeerTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress OLD = new InetSocketAddress("10.0.0.9", 7000);
    private static final TraceContext TRACE = TraceContext.of(1, 2, 3, TraceContext.FLAG_SAMPLED, "k=v");

    private static MessengerConfig.Builder settings(MessengerConfig.Builder b) {
        return b.interval(Duration.ofMillis(100)).maxRetries(5).maxDatagramSize(1472).peer("old", "10.0.0.9", 7000);
    }

    @Test
    void tracedMessagesReachTheOldNodeWithoutATraceContextFrameAndItsMessagesArriveUntraced() {
        SimulatedCluster c = new SimulatedCluster(51);
        SimulatedCluster.Node fresh = c.add("new", 1, Revision4PeerTest::settings);
        fresh.tracer = (peer, msgId, request) -> TRACE;
        FrozenRevision4Node old = new FrozenRevision4Node(c.network.endpoint(OLD), 9, 9_004L,
                c.clock::currentTimeMillis);
        c.participant(old::poll);
        c.startAll();
        fresh.send("old", "before it is known".getBytes(), null); // goes as version 1 frames: no trace context
        c.runFor(50 * MS);
        assertThat(fresh.messenger.stats("old").protocolRevision()).as("answered the probe").isEqualTo(4);
        fresh.send("old", "once it is known".getBytes(), null);
        old.send(fresh.address, 1, "from revision 4".getBytes(), 1);
        c.runFor(50 * MS);

        assertThat(old.delivered()).containsExactly("before it is known".getBytes(), "once it is known".getBytes());
        assertThat(old.unknownFramesSkipped()).as("no TRACE_CONTEXT reached it").isZero();
        assertThat(old.malformed()).isEmpty();
        assertThat(fresh.acked).hasSize(2);
        assertThat(fresh.delivered).singleElement().satisfies(m ->
                assertThat(m.payload()).isEqualTo("from revision 4".getBytes()));
        assertThat(fresh.deliveredTraces).containsExactly((TraceContext) null);
        assertThat(old.acked()).containsExactly(1L);
    }
}
