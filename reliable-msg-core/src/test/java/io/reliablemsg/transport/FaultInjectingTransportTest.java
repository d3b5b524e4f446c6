package io.reliablemsg.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.time.ManualClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultInjectingTransportTest {
    private final ManualClock clock = new ManualClock(0);
    private final SimulatedNetwork network = new SimulatedNetwork(clock, 1);
    private final InetSocketAddress a = new InetSocketAddress("10.0.0.1", 1);
    private final InetSocketAddress b = new InetSocketAddress("10.0.0.2", 1);
    private final InetSocketAddress c = new InetSocketAddress("10.0.0.3", 1);

    private int deliveredOf(int count, FaultInjectingTransport sender, Transport receiver) throws IOException {
        for (int i = 0; i < count; i++) {
            sender.send(b, ByteBuffer.wrap(new byte[] {1}));
        }
        int delivered = 0;
        ByteBuffer into = ByteBuffer.allocate(16);
        while (receiver.receive(into.clear()) != null) {
            delivered++;
        }
        return delivered;
    }

    @Test
    void dropsAboutTheConfiguredShareAndNothingWhenOff() throws IOException {
        FaultInjectingTransport faulty = new FaultInjectingTransport(network.endpoint(a), clock, 7);
        Transport receiver = network.endpoint(b);
        assertThat(deliveredOf(1000, faulty, receiver)).isEqualTo(1000);
        faulty.setLossRate(0.3);
        int delivered = deliveredOf(10_000, faulty, receiver);
        assertThat(delivered).isBetween(6700, 7300);
        assertThat(faulty.dropped()).isEqualTo(10_000 - delivered);
        assertThatThrownBy(() -> faulty.setLossRate(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOutageDropsEverythingUntilItEndsInBothDirections() throws IOException {
        FaultInjectingTransport faulty = new FaultInjectingTransport(network.endpoint(a), clock, 7);
        Transport receiver = network.endpoint(b);
        faulty.startOutage(1_000);
        assertThat(faulty.inOutage()).isTrue();
        assertThat(deliveredOf(10, faulty, receiver)).isZero();
        receiver.send(a, ByteBuffer.wrap(new byte[] {2})); // inbound is dropped as well
        assertThat(faulty.receive(ByteBuffer.allocate(16))).isNull();
        clock.advanceNs(1_000);
        assertThat(faulty.inOutage()).isFalse();
        assertThat(deliveredOf(10, faulty, receiver)).isEqualTo(10);
        faulty.startOutage(5_000);
        faulty.endOutage();
        assertThat(deliveredOf(10, faulty, receiver)).isEqualTo(10);
    }

    @Test
    void withAFilterDropsOnlyWhatIsExchangedWithTheAddressesItAccepts() throws IOException {
        FaultInjectingTransport faulty = new FaultInjectingTransport(network.endpoint(a), clock, 7, Set.of(b)::contains);
        Transport toB = network.endpoint(b);
        Transport toC = network.endpoint(c);
        faulty.startOutage(1_000);

        assertThat(faulty.send(b, ByteBuffer.wrap(new byte[] {1}))).isTrue();
        assertThat(faulty.send(c, ByteBuffer.wrap(new byte[] {1}))).isTrue();
        assertThat(toB.receive(ByteBuffer.allocate(16))).as("sent to b, in the filter: dropped").isNull();
        assertThat(toC.receive(ByteBuffer.allocate(16))).as("sent to c, outside it: delivered").isEqualTo(a);

        toB.send(a, ByteBuffer.wrap(new byte[] {2}));
        toC.send(a, ByteBuffer.wrap(new byte[] {3}));
        ByteBuffer into = ByteBuffer.allocate(16);
        assertThat(faulty.receive(into)).as("b's datagram dropped, c's received").isEqualTo(c);
        assertThat(into.flip().get()).isEqualTo((byte) 3);
        assertThat(faulty.receive(into.clear())).isNull();
        assertThat(faulty.dropped()).as("only datagrams of the filter count").isEqualTo(2);

        faulty.endOutage();
        faulty.setLossRate(1.0);
        assertThat(faulty.send(c, ByteBuffer.wrap(new byte[] {4}))).isTrue();
        assertThat(toC.receive(ByteBuffer.allocate(16))).as("loss, too, spares c").isEqualTo(a);
        faulty.setLossRate(0);
        assertThat(faulty.send(b, ByteBuffer.wrap(new byte[] {5}))).isTrue();
        assertThat(toB.receive(ByteBuffer.allocate(16))).as("no fault: b's datagrams pass again").isEqualTo(a);
    }
}
