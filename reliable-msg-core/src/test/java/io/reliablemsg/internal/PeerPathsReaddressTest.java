package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.PathState;
import io.reliablemsg.chain.PendingMessage;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer given new addresses: a path whose address stays keeps its state and counters under its new
 * index, a new address is a new path in standby; the path in use stays in use if its address stays,
 * otherwise the first path that has not failed takes the traffic (the first one if all failed); a peer
 * left with one path uses it, whatever its state; an unresolved peer that gets addresses uses the first.
 */
class PeerPathsReaddressTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.1.0.2", 7000);
    private static final InetSocketAddress B = new InetSocketAddress("10.2.0.2", 7000);
    private static final InetSocketAddress C = new InetSocketAddress("10.3.0.2", 7000);
    private static final InetSocketAddress D = new InetSocketAddress("10.4.0.2", 7000);

    private static PeerPaths paths(InetSocketAddress... addresses) {
        return new PeerPaths("b", 0, List.of(addresses), 1472);
    }

    @Test
    void aKeptAddressKeepsItsPathUnderItsNewIndexAndTheOneInUseStaysInUse() {
        PeerPaths p = paths(A, B, C);
        p.paths[1].state = PathState.ACTIVE;
        p.paths[0].state = PathState.STANDBY;
        p.active = 1;
        p.paths[1].failures.set(5);
        PeerPath wasB = p.paths[1];

        int[] moved = p.readdress(List.of(D, B, A));

        assertThat(moved).containsExactly(2, 1, PendingMessage.NO_PATH);
        assertThat(p.paths[1]).isSameAs(wasB);
        assertThat(p.paths[1].failures.get()).isEqualTo(5);
        assertThat(p.active).isEqualTo(1);
        assertThat(p.paths[0].state).as("a new address").isEqualTo(PathState.STANDBY);
        assertThat(p.paths[0].index).isZero();
        assertThat(p.paths[2].index).isEqualTo(2);
    }

    @Test
    void whenThePathInUseGoesTheFirstThatHasNotFailedTakesTheTrafficAndBecomesActive() {
        PeerPaths p = paths(A, B, C);
        p.paths[1].state = PathState.FAILED;

        int[] moved = p.readdress(List.of(B, C, D)); // A, in use, is gone; B failed

        assertThat(moved).containsExactly(PendingMessage.NO_PATH, 0, 1);
        assertThat(p.active).isOne();
        assertThat(p.current().outbox.address).isEqualTo(C);
        assertThat(p.paths[1].state).isEqualTo(PathState.ACTIVE);
        assertThat(p.paths[0].state).isEqualTo(PathState.FAILED);
    }

    @Test
    void whenEveryPathLeftHasFailedTheFirstTakesTheTrafficInItsState() {
        PeerPaths p = paths(A, B, C);
        p.paths[1].state = PathState.FAILED;
        p.paths[2].state = PathState.FAILED;

        p.readdress(List.of(C, B));

        assertThat(p.active).isZero();
        assertThat(p.paths[0].state).isEqualTo(PathState.FAILED);
        assertThat(p.paths[1].state).isEqualTo(PathState.FAILED);
    }

    @Test
    void aPeerLeftWithOnePathUsesItWhateverItsStateWasWithItsErrorsCleared() {
        PeerPaths p = paths(A, B);
        p.paths[1].state = PathState.FAILED;
        p.paths[1].errorCount = 3;

        p.readdress(List.of(B));

        assertThat(p.active).isZero();
        assertThat(p.paths[0].state).isEqualTo(PathState.ACTIVE);
        assertThat(p.paths[0].errorCount).isZero();
        assertThat(p.at(B)).isSameAs(p.paths[0]);
        assertThat(p.at(A)).isNull();
    }

    @Test
    void anUnresolvedPeerThatGetsAddressesUsesTheFirstAndOneThatLosesThemHasNone() {
        PeerPaths p = paths();
        assertThat(p.current()).isNull();

        assertThat(p.readdress(List.of(A, B))).isEmpty();
        assertThat(p.active).isZero();
        assertThat(p.paths[0].state).isEqualTo(PathState.ACTIVE);
        assertThat(p.paths[1].state).isEqualTo(PathState.STANDBY);

        assertThat(p.readdress(List.of())).containsExactly(PendingMessage.NO_PATH, PendingMessage.NO_PATH);
        assertThat(p.current()).isNull();
    }
}
