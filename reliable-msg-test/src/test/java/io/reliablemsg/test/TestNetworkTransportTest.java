package io.reliablemsg.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The network's transports on their own: delivery, the I/O loop's wait and wakeup, faults, partitions. */
class TestNetworkTransportTest {
    private static final long LONG_WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    private final TestNetwork network = new TestNetwork(7);
    private final List<Transport> opened = new ArrayList<>();

    @AfterEach
    void closeTransports() {
        opened.forEach(Transport::close);
    }

    private Transport bind(String name) {
        Transport transport = network.bind(network.address(name));
        opened.add(transport);
        return transport;
    }

    private static boolean send(Transport from, Transport to, int number) {
        return from.send(to.localAddress(), ByteBuffer.allocate(4).putInt(0, number));
    }

    /** The number in the next datagram readable now, or -1 when none is. */
    private static int receive(Transport at) throws Exception {
        ByteBuffer into = ByteBuffer.allocate(64);
        return at.receive(into) == null ? -1 : into.getInt(0);
    }

    /** Reads {@code count} datagrams, waiting on the transport as the I/O loop does; their numbers in arrival order. */
    private static List<Integer> receiveAll(Transport at, int count) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (numbers.size() < count && System.nanoTime() < deadline) {
            int number = receive(at);
            if (number >= 0) {
                numbers.add(number);
            } else {
                at.await(deadline - System.nanoTime());
            }
        }
        return numbers;
    }

    /** A thread in a 30 s {@code await} on {@code transport}, as an idle I/O loop is. */
    private static Thread waitingOn(Transport transport) {
        Thread loop = new Thread(() -> {
            try {
                transport.await(LONG_WAIT_NS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        loop.setDaemon(true);
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.getState() == Thread.State.TIMED_WAITING);
        return loop;
    }

    @Test
    void aDatagramReachesTheBoundAddressFromTheSendersAddressOnce() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        ByteBuffer datagram = ByteBuffer.wrap(new byte[] {1, 2, 3});

        assertThat(alice.send(bob.localAddress(), datagram)).isTrue();

        assertThat(datagram.hasRemaining()).as("the datagram was consumed, as a channel consumes it").isFalse();
        ByteBuffer into = ByteBuffer.allocate(16);
        assertThat(bob.receive(into)).isEqualTo(alice.localAddress());
        assertThat(into.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(bob.receive(ByteBuffer.allocate(16))).isNull();
        assertThat(receive(alice)).isEqualTo(-1);
        assertThat(network.sent()).isEqualTo(1);
        assertThat(network.delivered()).isEqualTo(1);
        assertThat(network.dropped()).isZero();
    }

    @Test
    void aDatagramLargerThanTheSpaceLeftIsCut() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        alice.send(bob.localAddress(), ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));

        ByteBuffer into = ByteBuffer.allocate(3);
        assertThat(bob.receive(into)).isEqualTo(alice.localAddress());
        assertThat(into.array()).containsExactly(1, 2, 3);
    }

    @Test
    void aDatagramToAnAddressNothingIsBoundToIsDroppedAndCounted() {
        Transport alice = bind("alice");

        assertThat(alice.send(network.address("nobody"), ByteBuffer.wrap(new byte[] {1}))).isTrue();

        assertThat(network.dropped()).isEqualTo(1);
        assertThat(network.delivered()).isZero();
    }

    @Test
    void awaitReturnsAsSoonAsADatagramArrivesFromAnotherThread() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        Thread loop = waitingOn(bob);

        send(alice, bob, 42);

        loop.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(loop.isAlive()).as("the arrival ended the 30 s wait").isFalse();
        assertThat(receive(bob)).isEqualTo(42);
    }

    /** How long {@code transport.await(timeoutNs)} blocked. */
    private static long waitedNs(Transport transport, long timeoutNs) throws Exception {
        long start = System.nanoTime();
        transport.await(timeoutNs);
        return System.nanoTime() - start;
    }

    @Test
    void awaitWithNothingArrivingWaitsItsTimeout() throws Exception {
        Transport bob = bind("bob");

        assertThat(waitedNs(bob, TimeUnit.MILLISECONDS.toNanos(50))).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aWakeupBeforeAwaitEndsTheNextWaitAtOnceAndOnlyThatOne() throws Exception {
        Transport bob = bind("bob");

        bob.wakeup();

        assertThat(waitedNs(bob, LONG_WAIT_NS)).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(waitedNs(bob, TimeUnit.MILLISECONDS.toNanos(50))).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aWakeupFromAnotherThreadEndsAWaitInProgress() throws Exception {
        Transport bob = bind("bob");
        Thread loop = waitingOn(bob);

        bob.wakeup();

        loop.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(loop.isAlive()).isFalse();
    }

    @Test
    void aDelayedDatagramIsNotReadableBeforeItIsDueAndAwaitWaitsUntilItIs() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        network.delay(Duration.ofMillis(200), Duration.ofMillis(200));
        long sentAt = System.nanoTime();

        send(alice, bob, 7);

        assertThat(receive(bob)).as("in flight").isEqualTo(-1);
        bob.await(LONG_WAIT_NS);
        long waitedNs = System.nanoTime() - sentAt;
        assertThat(waitedNs).isBetween(TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(5));
        assertThat(receive(bob)).isEqualTo(7);
    }

    @Test
    void aDelayRangeReordersDatagramsAndLosesNone() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        network.delay(Duration.ZERO, Duration.ofMillis(20));
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            send(alice, bob, i);
            sent.add(i);
        }

        List<Integer> arrived = receiveAll(bob, 200);

        assertThat(arrived).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(arrived).as("another order than sent").isNotEqualTo(sent);
    }

    @Test
    void theSameSeedLosesTheSameDatagramsOfALinkAndAnotherSeedOthers() throws Exception {
        List<Integer> first = arrivedAtHalfLoss(11);
        List<Integer> again = arrivedAtHalfLoss(11);
        List<Integer> otherSeed = arrivedAtHalfLoss(12);

        assertThat(first).hasSizeBetween(60, 140);
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    private static List<Integer> arrivedAtHalfLoss(long seed) throws Exception {
        TestNetwork lossy = new TestNetwork(seed).lossRate(0.5);
        try (Transport alice = lossy.bind(lossy.address("alice")); Transport bob = lossy.bind(lossy.address("bob"))) {
            for (int i = 0; i < 200; i++) {
                send(alice, bob, i);
            }
            List<Integer> arrived = new ArrayList<>();
            for (int number = receive(bob); number >= 0; number = receive(bob)) {
                arrived.add(number);
            }
            assertThat(lossy.dropped()).isEqualTo(200 - arrived.size());
            return arrived;
        }
    }

    @Test
    void duplicationDeliversEveryDatagramTwice() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        network.duplicationRate(1);
        for (int i = 0; i < 10; i++) {
            send(alice, bob, i);
        }

        List<Integer> arrived = receiveAll(bob, 20);

        assertThat(arrived).hasSize(20);
        for (int i = 0; i < 10; i++) {
            Integer number = i;
            assertThat(arrived).as("copies of %d", number).filteredOn(number::equals).hasSize(2);
        }
        assertThat(network.duplicated()).isEqualTo(10);
    }

    @Test
    void whatDoesNotFitTheReceiveBufferIsDropped() throws Exception {
        Transport alice = bind("alice");
        Transport small = network.transportFor(MessengerConfig.builder().clientId(9).bindAddress("127.0.0.1")
                .socketBufferBytes(4096).build());
        opened.add(small);
        for (int i = 0; i < 10; i++) {
            alice.send(small.localAddress(), ByteBuffer.allocate(1000));
        }

        int read = 0;
        while (small.receive(ByteBuffer.allocate(1000)) != null) {
            read++;
        }

        assertThat(read).isEqualTo(4);
        assertThat(network.dropped()).isEqualTo(6);
    }

    @Test
    void aClosedTransportRefusesSendsLosesWhatWasInFlightAndFreesItsAddress() throws Exception {
        Transport alice = bind("alice");
        InetSocketAddress bobAddress = network.address("bob");
        Transport bob = network.bind(bobAddress);
        send(alice, bob, 1);

        bob.close();

        assertThat(send(bob, alice, 2)).isFalse();
        assertThat(bob.receive(ByteBuffer.allocate(8))).isNull();
        Transport restarted = network.bind(bobAddress);
        opened.add(restarted);
        assertThat(receive(restarted)).as("what was in flight to the closed socket").isEqualTo(-1);
        send(alice, restarted, 3);
        assertThat(receive(restarted)).isEqualTo(3);
    }

    @Test
    void anAddressInUseIsRefused() {
        Transport alice = bind("alice");

        assertThatThrownBy(() -> network.bind(alice.localAddress())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("address " + alice.localAddress() + " is in use on this test network");
    }

    @Test
    void aOneWayCutDropsOneDirectionUntilHealed() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        network.cutOneWay("alice", "bob");

        send(alice, bob, 1);
        send(bob, alice, 2);

        assertThat(receive(bob)).isEqualTo(-1);
        assertThat(receive(alice)).isEqualTo(2);
        network.heal("alice", "bob");
        send(alice, bob, 3);
        assertThat(receive(bob)).isEqualTo(3);
    }

    @Test
    void aCutBetweenTwoNodesLeavesTheirLinksToOthers() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        Transport carol = bind("carol");
        network.cut("alice", "bob");

        send(alice, bob, 1);
        send(bob, alice, 2);
        send(alice, carol, 3);
        send(carol, bob, 4);

        assertThat(receive(bob)).isEqualTo(4);
        assertThat(receive(alice)).isEqualTo(-1);
        assertThat(receive(carol)).isEqualTo(3);
    }

    @Test
    void anIsolatedNodeNeitherHearsNorIsHeardUntilHealed() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        Transport carol = bind("carol");
        network.isolate("bob");

        send(alice, bob, 1);
        send(bob, carol, 2);
        send(alice, carol, 3);

        assertThat(receive(bob)).isEqualTo(-1);
        assertThat(receive(carol)).isEqualTo(3);
        network.heal("bob");
        send(alice, bob, 4);
        send(bob, carol, 5);
        assertThat(receive(bob)).isEqualTo(4);
        assertThat(receive(carol)).isEqualTo(5);
    }

    @Test
    void incomingAndOutgoingCutsOfANodeAreOneWay() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");

        network.cutIncoming("bob");
        send(alice, bob, 1);
        send(bob, alice, 2);
        assertThat(receive(bob)).isEqualTo(-1);
        assertThat(receive(alice)).isEqualTo(2);

        network.healAll().cutOutgoing("bob");
        send(alice, bob, 3);
        send(bob, alice, 4);
        assertThat(receive(bob)).isEqualTo(3);
        assertThat(receive(alice)).isEqualTo(-1);
    }

    @Test
    void resetSwitchesEveryFaultAndPartitionOff() throws Exception {
        Transport alice = bind("alice");
        Transport bob = bind("bob");
        network.lossRate(1).duplicationRate(1).delay(Duration.ofSeconds(30), Duration.ofSeconds(30)).isolate("bob");

        network.reset();

        send(alice, bob, 1);
        assertThat(receive(bob)).isEqualTo(1);
        assertThat(receive(bob)).as("no second copy").isEqualTo(-1);
    }
}
