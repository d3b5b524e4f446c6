package io.reliablemsg.sample.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's second network over real UDP on 127.0.0.1: two sockets standing for nodes a and b. */
class UdpRelayTest {
    private static final int RECEIVE_TIMEOUT_MILLIS = 5_000;
    private DatagramSocket a;
    private DatagramSocket b;
    private UdpRelay relay;

    @BeforeEach
    void start() throws SocketException {
        a = socket();
        b = socket();
        relay = UdpRelay.start(address(a), address(b));
    }

    @AfterEach
    void stop() {
        relay.close();
        a.close();
        b.close();
    }

    @Test
    void relaysEachWayAndEachNodeSeesThePeerAtTheRelaysOtherSocket() throws IOException {
        byte[] big = new byte[60_000];
        Arrays.fill(big, (byte) 7);
        send(a, relay.x(), big);
        DatagramPacket atB = receive(b);
        assertThat(atB.getSocketAddress()).as("b sees a's datagram come from y, a's second address").isEqualTo(relay.y());
        assertThat(Arrays.copyOf(atB.getData(), atB.getLength())).isEqualTo(big);

        send(b, relay.y(), new byte[] {2});
        DatagramPacket atA = receive(a);
        assertThat(atA.getSocketAddress()).as("a sees b's answer come from x, b's second address").isEqualTo(relay.x());
        assertThat(atA.getData()[0]).isEqualTo((byte) 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.forwarded() == 2);
        assertThat(relay.x().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(relay.y().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void dropsDatagramsFromAnyoneButTheTwoNodes() throws IOException {
        try (DatagramSocket stranger = socket()) {
            send(stranger, relay.x(), new byte[] {9});
            send(stranger, relay.y(), new byte[] {9});
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.strays() == 2);
        }
        send(a, relay.x(), new byte[] {1});
        assertThat(receive(b).getData()[0]).as("the first datagram b gets is a's, not the stranger's").isEqualTo((byte) 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.forwarded() == 1);
    }

    @Test
    void whenDownDropsEverythingBothWaysUntilItIsUpAgain() throws IOException {
        relay.setDown(true);
        send(a, relay.x(), new byte[] {1});
        send(b, relay.y(), new byte[] {1});
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.dropped() == 2);

        relay.setDown(false);
        send(a, relay.x(), new byte[] {2});
        send(b, relay.y(), new byte[] {2});
        assertThat(receive(b).getData()[0]).as("what was sent while down never arrives").isEqualTo((byte) 2);
        assertThat(receive(a).getData()[0]).isEqualTo((byte) 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.forwarded() == 2 && relay.dropped() == 2);
    }

    @Test
    void dropsAboutTheShareItIsGiven() throws IOException {
        relay.setLoss(0.5);
        for (int batch = 1; batch <= 8; batch++) { // 50 at a time, so that no socket buffer overflows
            for (int i = 0; i < 50; i++) {
                send(a, relay.x(), new byte[] {1});
            }
            long sent = 50L * batch;
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.forwarded() + relay.dropped() == sent);
        }
        assertThat(relay.dropped()).isBetween(120L, 280L);
        assertThat(relay.strays()).isZero();
    }

    @Test
    void closingStopsBothThreadsAndFreesTheSockets() throws SocketException {
        InetSocketAddress x = relay.x();
        relay.close();
        assertThat(relay.stopped()).isTrue();
        try (DatagramSocket again = new DatagramSocket(x)) {
            assertThat(again.getLocalPort()).isEqualTo(x.getPort());
        }
    }

    private static DatagramSocket socket() throws SocketException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(UdpRelay.loopback(), 0));
        socket.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
        return socket;
    }

    private static InetSocketAddress address(DatagramSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private static void send(DatagramSocket from, InetSocketAddress to, byte[] data) throws IOException {
        from.send(new DatagramPacket(data, data.length, to));
    }

    /** The next datagram at {@code socket}; fails after 5 s without one. */
    private static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[UdpRelay.MAX_DATAGRAM], UdpRelay.MAX_DATAGRAM);
        socket.receive(packet);
        return packet;
    }
}
