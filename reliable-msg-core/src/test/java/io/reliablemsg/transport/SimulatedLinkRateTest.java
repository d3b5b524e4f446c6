package io.reliablemsg.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.time.ManualClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SimulatedNetwork#bytesPerSecond}: each direction carries one datagram at a time, so a burst queues and
 * arrives spread by its serialisation time; directions do not share a rate; lost datagrams take link time too;
 * the delay is added after the link; without a rate nothing changes.
 */
class SimulatedLinkRateTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock(0);
    private final InetSocketAddress a = new InetSocketAddress("10.0.0.1", 1);
    private final InetSocketAddress b = new InetSocketAddress("10.0.0.2", 1);

    /** When each datagram of a burst of {@code count} of {@code size} bytes, sent at 0, reaches b (ns). */
    private List<Long> arrivals(SimulatedNetwork network, int count, int size) throws IOException {
        Transport from = network.endpoint(a);
        Transport to = network.endpoint(b);
        for (int i = 0; i < count; i++) {
            from.send(b, ByteBuffer.wrap(new byte[size]));
        }
        List<Long> at = new ArrayList<>();
        ByteBuffer into = ByteBuffer.allocate(size);
        while (network.nextDeliveryNs() != Long.MAX_VALUE) {
            clock.setNs(Math.max(clock.nanoTime(), network.nextDeliveryNs()));
            while (to.receive(into.clear()) != null) {
                at.add(clock.nanoTime());
            }
        }
        return at;
    }

    @Test
    void aBurstQueuesOnTheLinkAndArrivesSpreadByItsSerialisationTimeThenTheDelay() throws IOException {
        // 1,000,000 bytes/s: a datagram of 1,000 bytes takes 1 ms on the link; delay 2 ms after it
        SimulatedNetwork network = new SimulatedNetwork(clock, 1).bytesPerSecond(1_000_000).delayNs(2 * MS, 2 * MS);
        assertThat(arrivals(network, 4, 1000)).containsExactly(3 * MS, 4 * MS, 5 * MS, 6 * MS);
    }

    @Test
    void withoutARateABurstArrivesAtOnce() throws IOException {
        SimulatedNetwork network = new SimulatedNetwork(clock, 1).delayNs(2 * MS, 2 * MS);
        assertThat(arrivals(network, 4, 1000)).containsExactly(2 * MS, 2 * MS, 2 * MS, 2 * MS);
    }

    @Test
    void aLostDatagramStillTakesItsTimeOnTheLink() throws IOException {
        SimulatedNetwork network = new SimulatedNetwork(clock, 1).bytesPerSecond(1_000_000).lossRate(0.5);
        List<Long> at = arrivals(network, 40, 1000);
        assertThat(network.dropped()).as("some lost").isPositive();
        assertThat(at).as("each arrives at the end of its own slot, lost slots left empty").hasSize(40 - (int) network.dropped())
                .allSatisfy(t -> assertThat(t % MS).isZero()).isSorted().doesNotHaveDuplicates();
        assertThat(at.get(at.size() - 1)).as("the last slot is the 40th at most").isLessThanOrEqualTo(40 * MS);
        assertThat(at).anySatisfy(t -> assertThat(t).isGreaterThan((long) at.size() * MS)); // a lost slot before it
    }

    @Test
    void theTwoDirectionsAndOtherPairsDoNotShareALink() throws IOException {
        SimulatedNetwork network = new SimulatedNetwork(clock, 1).bytesPerSecond(1_000_000);
        Transport ta = network.endpoint(a);
        Transport tb = network.endpoint(b);
        ta.send(b, ByteBuffer.wrap(new byte[1000]));
        tb.send(a, ByteBuffer.wrap(new byte[1000]));
        assertThat(network.nextDeliveryNs()).isEqualTo(MS);
        clock.setNs(MS);
        assertThat(tb.receive(ByteBuffer.allocate(1000))).isEqualTo(a);
        assertThat(ta.receive(ByteBuffer.allocate(1000))).as("the other direction at the same time").isEqualTo(b);
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> new SimulatedNetwork(clock, 1).bytesPerSecond(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 bytes/s");
    }
}
