package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One peer's record: its duplicate windows are reused for another incarnation only once quiet for two
 * intervals plus the skew allowance; its address while none resolved is the first given; an unknown source
 * is named after its address and has no place on the chain.
 */
class PeerTest {
    private static final long MS = 1_000_000L;

    @Test
    void aWindowIsReusedForAnotherIncarnationOnlyAfterTwoIntervalsAndTheSkewAllowanceOfQuiet() {
        MessengerConfig config = MessengerConfig.builder().clientId(1).interval(Duration.ofMillis(100))
                .clockSkewAllowance(Duration.ofMillis(30)).maxRetries(5).maxSenderIncarnationsPerPeer(1).build();
        SenderIncarnations incarnations = Peer.newIncarnations(config);

        assertThat(incarnations.window(2, 1, 0)).isNotNull();
        assertThat(incarnations.window(2, 2, 230 * MS)).as("quiet for exactly 2 x 100 + 30 ms: still in use")
                .isNull();
        assertThat(incarnations.window(2, 2, 230 * MS + 1)).as("quiet for longer: reused").isNotNull();
        assertThat(incarnations.evictions()).isOne();
    }

    @Test
    void withoutAResolvedAddressThePeersAddressIsTheFirstGivenOrNone() {
        MessengerConfig config = MessengerConfig.builder().clientId(1).build();
        SendSlots slots = new SendSlots(4);

        Peer named = Peer.configured(config, "b", List.of(), slots.open(), null,
                List.of("b.example:7000", "c.example:7000"));
        assertThat(named.address()).isEqualTo("b.example:7000");
        assertThat(named.snapshot(0).unresolved()).isTrue();

        Peer none = Peer.configured(config, "c", List.of(), slots.open(), null, List.of());
        assertThat(none.address()).isEmpty();

        Peer resolved = Peer.configured(config, "d", List.of(new InetSocketAddress("10.0.0.4", 7004)), slots.open(),
                7, List.of("d.example:7004"));
        assertThat(resolved.address()).isEqualTo("10.0.0.4:7004");
        assertThat(resolved.snapshot(0).unresolved()).isFalse();
        assertThat(resolved.expectedClientId).isEqualTo(7);
    }

    @Test
    void anUnknownSourceIsNamedAfterItsAddressAndHasNoPlaceOnTheChain() {
        Peer source = Peer.unknownSource(MessengerConfig.builder().clientId(1).build(),
                new InetSocketAddress("10.0.0.9", 7009));

        assertThat(source.name).isEqualTo("10.0.0.9:7009");
        assertThat(source.index).isEqualTo(-1);
        assertThat(source.account).isNull();
        assertThat(source.given).containsExactly("10.0.0.9:7009");
        assertThat(source.address()).isEqualTo("10.0.0.9:7009");
    }
}
