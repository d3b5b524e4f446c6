package io.reliablemsg.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/**
 * The datagram size rule (docs/PROTOCOL.md, "Datagram size"): the MTU of the interface the route takes, less
 * the IP and UDP headers, at most 65,507; 1472 for a path that cannot be told.
 */
class PathMtuTest {

    @Test
    void loopbackGivesItsMtuLessTheHeadersCappedAtTheLargestUdpPayload() throws Exception {
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        int expected = Math.min(65_507, loopback.getMTU() - 28);
        assertThat(PathMtu.datagramSize(new InetSocketAddress("127.0.0.1", 9))).isEqualTo(expected);
    }

    @Test
    void aPathThatCannotBeToldGetsOneEthernetDatagram() {
        assertThat(PathMtu.datagramSize(null)).isEqualTo(1472);
        assertThat(PathMtu.datagramSize(InetSocketAddress.createUnresolved("nowhere.invalid", 9))).isEqualTo(1472);
        assertThat(new SimulatedNetwork(new io.reliablemsg.time.ManualClock(0), 1)
                .endpoint(new InetSocketAddress("10.0.0.1", 1)).pathDatagramSize(null)).isEqualTo(1472);
    }

    @Test
    void withNoPeerASocketBoundToLoopbackTakesTheLoopbacksSizeAndAnyOtherOneEthernetDatagram() throws Exception {
        int loopback = PathMtu.datagramSize(new InetSocketAddress("127.0.0.1", 9));
        try (UdpTransport onLoopback = UdpTransport.open("127.0.0.1", 0, 1 << 16);
             UdpTransport wildcard = UdpTransport.open("0.0.0.0", 0, 1 << 16)) {
            assertThat(onLoopback.pathDatagramSize(null)).as("it can reach only the loopback").isEqualTo(loopback);
            assertThat(wildcard.pathDatagramSize(null)).as("any interface: not known").isEqualTo(1472);
            assertThat(wildcard.pathDatagramSize(new InetSocketAddress("127.0.0.1", 9))).isEqualTo(loopback);
        }
    }

    @Test
    void aUdpMessengerTakesThePathsSizeUnlessOneIsSet() throws Exception {
        MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1")
                .peer("b", "127.0.0.1:9").build();
        assertThat(config.maxDatagramSize()).as("left to the path").isZero();
        int loopback = PathMtu.datagramSize(new InetSocketAddress("127.0.0.1", 9));
        MessengerConfig resolved = config.withPathDatagramSize(loopback);
        assertThat(resolved.maxDatagramSize()).isEqualTo(loopback);
        assertThat(resolved.bundleSize()).as("bundles follow it").isEqualTo(loopback);
        assertThat(config.withPathDatagramSize(1472).bundleSize()).isEqualTo(1472);
        MessengerConfig fixed = MessengerConfig.builder().clientId(1).maxDatagramSize(1400).build();
        assertThat(fixed.withPathDatagramSize(65_507).maxDatagramSize()).as("set: kept").isEqualTo(1400);
        assertThat(fixed.bundleSize()).as("the default bundle is a whole datagram").isEqualTo(1400);
    }
}
