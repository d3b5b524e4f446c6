package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerStats;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The peer directory on its own: which address belongs to whom as peers are added, given new addresses
 * and removed (a removed or old address is free again, a new one taken at once); once the messenger
 * runs, every change is queued for the loop in the order made and wakes it once; the unknown-peer
 * message names at most ten peers; a removed peer's counters stay in the totals and keep moving until
 * its last send slot is free.
 */
class PeerDirectoryTest {
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 7000);
    private static final InetSocketAddress B2 = new InetSocketAddress("10.0.0.3", 7000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.1", 7000);

    private final SendSlots slots = new SendSlots(16);
    private final PeerDirectory directory = new PeerDirectory(MessengerConfig.builder().clientId(1).build(), slots);

    private Peer add(String name, InetSocketAddress address) {
        return directory.add(name, null, List.of(address), List.of(address));
    }

    @Test
    void anAddedPeerIsFoundByItsNameAndItsAddressIsRefusedToAnother() {
        Peer b = add("b", B);

        assertThat(directory.find("b")).isSameAs(b);
        assertThat(b.name).isEqualTo("b");
        assertThatThrownBy(() -> add("c", B)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("which peer 'b' has too");
        assertThat(directory.view()).containsExactly(Map.entry("b", List.of("10.0.0.2:7000")));
    }

    @Test
    void aRemovedPeersAddressIsFreeForAnotherPeer() {
        add("b", B);
        directory.remove("b");

        Peer d = add("d", B);

        assertThat(directory.find("b")).isNull();
        assertThat(directory.find("d")).isSameAs(d);
        assertThat(directory.view()).containsOnlyKeys("d");
    }

    @Test
    void anUpdateTakesTheNewAddressAtOnceAndFreesTheOldOne() {
        add("b", B);
        directory.update("b", List.of(B2), List.of(B2));

        assertThatThrownBy(() -> add("c", B2)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("which peer 'b' has too");
        add("d", B);
        assertThat(directory.view()).containsExactly(Map.entry("b", List.of("10.0.0.3:7000")),
                Map.entry("d", List.of("10.0.0.2:7000")));
        assertThat(directory.find("b").paths.paths).extracting(p -> p.outbox.address).containsExactly(B2);
    }

    @Test
    void onceStartedEachChangeIsQueuedForTheLoopInOrderAndWakesItOnce() {
        Peer b = add("b", B);
        AtomicInteger wakeups = new AtomicInteger();
        List<Peer> initial = directory.start(LOCAL, wakeups::incrementAndGet);
        assertThat(initial).extracting(p -> p.name).containsExactly("b");
        assertThat(directory.commands()).as("b is in the loop's first peers, not a change").isEmpty();

        add("c", B2);
        assertThat(wakeups.get()).isOne();
        directory.update("c", List.of(new InetSocketAddress("10.0.0.4", 7000)),
                List.of(new InetSocketAddress("10.0.0.4", 7000)));
        assertThat(wakeups.get()).isEqualTo(2);
        directory.remove("b");
        assertThat(wakeups.get()).isEqualTo(3);

        assertThat(directory.commands()).extracting(c -> c.kind() + " " + c.peer().name)
                .containsExactly("ADD c", "READDRESS c", "REMOVE b");
        assertThat(b.uninstalled).as("the loop takes it out").isFalse();
        assertThatThrownBy(() -> add("e", LOCAL)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("this node's own socket");
    }

    @Test
    void theUnknownPeerMessageNamesTenPeersAndSaysHowManyMore() {
        for (int i = 0; i < 10; i++) {
            add(String.format("p%02d", i), new InetSocketAddress("10.1.0." + (i + 1), 7000));
        }
        assertThatThrownBy(() -> directory.remove("nobody")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("peers now: [p00, p01, p02, p03, p04, p05, p06, p07, p08, p09]");

        add("p10", new InetSocketAddress("10.1.0.11", 7000));
        add("p11", new InetSocketAddress("10.1.0.12", 7000));
        assertThatThrownBy(() -> directory.update("nobody", List.of(B), List.of(B)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("peers now: [p00, p01, p02, p03, p04, p05, p06, p07, p08, p09] and 2 more");
    }

    @Test
    void aRemovedPeersCountersStayInTheTotalsAndKeepMovingUntilItsLastSlotIsFree() {
        Peer b = add("b", B);
        assertThat(slots.tryReserve(b.account)).isTrue(); // a message to b whose outcome is not reported yet
        b.send.sent.incrementAndGet();
        directory.remove("b"); // not started: taken out at once
        assertThat(b.uninstalled).isTrue();

        assertThat(totals().sent()).isOne();
        b.send.failed.incrementAndGet(); // its failure, counted after the removal
        assertThat(totals().failed()).as("still moving while it holds a slot").isOne();

        slots.release(b.account.index());
        b.receive.delivered.incrementAndGet();
        assertThat(totals().delivered()).as("the last look, once its slot is free").isOne();
        assertThat(totals().failed()).isOne();
        assertThat(totals().sent()).isOne();
    }

    @Test
    void aRoundsAnswerForTheNamesGivenBeforeAnUpdateIsDroppedAndAnAddressAnotherPeerHasIsLeftOut() {
        List<InetSocketAddress> byName = List.of(InetSocketAddress.createUnresolved("node-b", 7000));
        directory.add("b", null, byName, List.of(B));
        add("c", B2);
        PeerDirectory.Entry asGiven = directory.withHostNames().get(0); // a round starts: b as given now
        assertThat(directory.withHostNames()).hasSize(1);

        InetSocketAddress chosen = new InetSocketAddress("10.0.0.7", 7000);
        directory.update("b", List.of(chosen), List.of(chosen)); // the user gives b an address meanwhile
        List<InetSocketAddress> refused = directory.resolved("b", asGiven.version(),
                List.of(new InetSocketAddress("10.0.0.8", 7000)));

        assertThat(refused).isEmpty();
        assertThat(directory.find("b").paths.paths).as("the stale answer changes nothing")
                .extracting(p -> p.outbox.address).containsExactly(chosen);

        directory.update("b", byName, List.of(B));
        PeerDirectory.Entry now = directory.withHostNames().get(0);
        InetSocketAddress fresh = new InetSocketAddress("10.0.0.9", 7000);
        assertThat(directory.resolved("b", now.version(), List.of(fresh, B2))).as("c's").containsExactly(B2);
        assertThat(directory.find("b").paths.paths).as("the answer, without c's address")
                .extracting(p -> p.outbox.address).containsExactly(fresh);
    }

    @Test
    void aRemovedPeerTakesNoMoreSlotsAndItsIndexGoesToTheNextPeerOnceItHoldsNone() {
        Peer b = add("b", B);
        assertThat(directory.remove("b")).isSameAs(b);
        assertThat(slots.tryReserve(b.account)).as("closed").isFalse();

        Peer d = add("d", B2);

        assertThat(d.index).as("b's chain index, free again").isEqualTo(b.index);
    }

    @Test
    void aPeerConfiguredAtTheNodesOwnSocketIsRefusedAtStart() {
        add("self", LOCAL);
        assertThatThrownBy(() -> directory.start(LOCAL, () -> { })).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("this node's own socket");
    }

    private MessengerStats totals() {
        MessengerStats.Builder stats = MessengerStats.builder();
        directory.removedTotals().addTo(stats);
        return stats.build();
    }
}
