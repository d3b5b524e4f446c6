package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer's addresses as given and resolved: written host:port and [IPv6]:port; a re-resolved name keeps
 * the addresses it had in their order (the first path stays the first) and adds the new ones after, in
 * the order resolved; an address is our own socket when it is the bound address, or, bound to every
 * address, our port on the wildcard, loopback or an interface of this host, never another port or an
 * address of another host (TEST-NET-1, 192.0.2.0/24, is no host's here).
 */
class PeerAddressesTest {
    private static InetSocketAddress at(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    @Test
    void addressesAreWrittenHostColonPortWithIpv6InBrackets() {
        assertThat(PeerAddresses.format(at("10.0.0.2", 7000))).isEqualTo("10.0.0.2:7000");
        assertThat(PeerAddresses.format(at("::1", 7000))).isEqualTo("[0:0:0:0:0:0:0:1]:7000");
        assertThat(PeerAddresses.format(InetSocketAddress.createUnresolved("node-b.example", 7001)))
                .isEqualTo("node-b.example:7001");
        assertThat(PeerAddresses.given(List.of(at("10.0.0.2", 7000), InetSocketAddress.createUnresolved("b", 1))))
                .containsExactly("10.0.0.2:7000", "b:1");
    }

    @Test
    void aReResolvedNameKeepsTheAddressesItHadInTheirOrderThenAddsTheNewOnesInTheOrderResolved() {
        InetSocketAddress a = at("10.0.0.1", 7000);
        InetSocketAddress b = at("10.0.0.2", 7000);
        InetSocketAddress c = at("10.0.0.3", 7000);
        InetSocketAddress d = at("10.0.0.4", 7000);

        assertThat(PeerAddresses.merge(List.of(a, b, c), List.of(d, c, a))).containsExactly(a, c, d);
        assertThat(PeerAddresses.merge(List.of(a, b), List.of(b, a))).as("a rotated answer moves nothing")
                .containsExactly(a, b);
        assertThat(PeerAddresses.merge(List.of(), List.of(c, d, c))).as("each address once").containsExactly(c, d);
        assertThat(PeerAddresses.merge(List.of(a), List.of())).isEmpty();
    }

    @Test
    void theBoundAddressItselfIsOwnAnotherPortOrAnotherAddressIsNot() {
        InetSocketAddress local = at("127.0.0.1", 7000);
        assertThat(PeerAddresses.isOwn(at("127.0.0.1", 7000), local)).isTrue();
        assertThat(PeerAddresses.isOwn(at("127.0.0.1", 7001), local)).isFalse();
        assertThat(PeerAddresses.isOwn(at("192.0.2.1", 7000), local)).isFalse();
    }

    @Test
    void boundToEveryAddressOurPortOnTheWildcardLoopbackOrAnInterfaceOfThisHostIsOwn() {
        InetSocketAddress local = new InetSocketAddress(7000); // 0.0.0.0:7000
        assertThat(PeerAddresses.isOwn(at("0.0.0.0", 7000), local)).isTrue();
        assertThat(PeerAddresses.isOwn(at("127.0.0.1", 7000), local)).isTrue();
        assertThat(PeerAddresses.isOwn(at("127.0.0.1", 7001), local)).isFalse();
        assertThat(PeerAddresses.isOwn(at("192.0.2.1", 7000), local)).as("another host's address").isFalse();
        assertThat(PeerAddresses.isOwn(InetSocketAddress.createUnresolved("b", 7000), local))
                .as("an unresolved name is nobody's").isFalse();
    }

    @Test
    void anAddressOfThisHostOtherThanTheBoundOneIsNotOwnWhenBoundToOneAddress() {
        InetSocketAddress local = at("127.0.0.1", 7000);
        assertThat(PeerAddresses.isOwn(at("127.0.0.2", 7000), local)).isFalse();
        assertThat(PeerAddresses.isOwn(at("0.0.0.0", 7000), local)).isFalse();
        assertThat(PeerAddresses.isOwn(at("127.0.0.1", 7000), InetSocketAddress.createUnresolved("x", 7000)))
                .isFalse();
    }
}
