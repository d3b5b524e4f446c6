package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.transport.PathMtu;
import io.reliablemsg.transport.UdpTransport;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The messenger's datagram size at start (docs/PROTOCOL.md, "Datagram size"): with no peer at start, a
 * messenger bound to loopback (a receiver of unknown peers, say) bundles in loopback datagrams, one bound to
 * every interface in Ethernet ones; a set size is kept.
 */
class DatagramSizesTest {
    @Test
    void withNoPeerAtStartTheBindAddressDecides() {
        int loopback = PathMtu.datagramSize(new InetSocketAddress("127.0.0.1", 9));
        MessengerConfig config = MessengerConfig.builder().clientId(1).acceptUnknownPeers(true).build();
        try (UdpTransport onLoopback = UdpTransport.open("127.0.0.1", 0, 1 << 16);
             UdpTransport wildcard = UdpTransport.open("0.0.0.0", 0, 1 << 16)) {
            MessengerConfig resolved = DatagramSizes.resolve(config, onLoopback, List.of());
            assertThat(resolved.maxDatagramSize()).isEqualTo(loopback);
            assertThat(resolved.bundleSize()).as("its acks go in datagrams of the loopback's size").isEqualTo(loopback);
            assertThat(DatagramSizes.resolve(config, wildcard, List.of()).bundleSize()).isEqualTo(1472);
            MessengerConfig fixed = MessengerConfig.builder().clientId(1).maxDatagramSize(1400).build();
            assertThat(DatagramSizes.resolve(fixed, onLoopback, List.of()).bundleSize()).as("set: kept")
                    .isEqualTo(1400);
        }
    }
}
