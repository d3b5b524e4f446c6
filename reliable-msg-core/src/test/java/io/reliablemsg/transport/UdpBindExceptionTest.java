package io.reliablemsg.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import org.junit.jupiter.api.Test;

/** Why a UDP socket could not be bound, in words a user can act on. Real sockets on 127.0.0.1. */
class UdpBindExceptionTest {
    @Test
    void aPortInUseIsNamedWithAddressAndPort() {
        try (UdpTransport taken = UdpTransport.open("127.0.0.1", 0, 65536)) {
            int port = taken.localAddress().getPort();
            assertThatThrownBy(() -> UdpTransport.open("127.0.0.1", port, 65536))
                    .isInstanceOfSatisfying(UdpBindException.class, e -> {
                        assertThat(e.problem()).isEqualTo(UdpBindException.Problem.PORT_IN_USE);
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.bindAddress()).isEqualTo("127.0.0.1");
                        assertThat(e.getCause()).isInstanceOf(BindException.class);
                    })
                    .hasMessage("cannot bind UDP socket on 127.0.0.1:" + port + ": the port is in use by another socket");
        }
    }

    @Test
    void anAddressThatIsNotOfThisHostIsSaidToBeSo() {
        // TEST-NET-1 (RFC 5737): never assigned to a host, so never an address of this one
        assertThatThrownBy(() -> UdpTransport.open("192.0.2.1", 0, 65536))
                .isInstanceOfSatisfying(UdpBindException.class,
                        e -> assertThat(e.problem()).isEqualTo(UdpBindException.Problem.ADDRESS_NOT_LOCAL))
                .hasMessageContaining("192.0.2.1 is not an address of this host");
    }

    @Test
    void aHostNameThatDoesNotResolveIsAClearErrorNotARawUnresolvedAddressException() {
        assertThatThrownBy(() -> UdpTransport.open("no-such-host.invalid", 0, 65536))
                .isInstanceOfSatisfying(UdpBindException.class,
                        e -> assertThat(e.problem()).isEqualTo(UdpBindException.Problem.UNRESOLVED_ADDRESS))
                .hasMessageContaining("host name no-such-host.invalid does not resolve");
    }
}
