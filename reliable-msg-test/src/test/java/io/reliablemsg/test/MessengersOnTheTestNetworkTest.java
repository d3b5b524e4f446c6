package io.reliablemsg.test;

import static io.reliablemsg.test.Recorder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.FailureReason;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendFailure;
import io.reliablemsg.SendResult;
import io.reliablemsg.transport.ForwardingTransport;
import io.reliablemsg.transport.Transport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Messengers with their own threads on the network: what loss, duplication, delay and partitions do to them. */
class MessengersOnTheTestNetworkTest {
    /** interval 50 ms x max-retries 3: a message to a cut peer fails within about 0.2 s. */
    private static final Consumer<MessengerConfig.Builder> QUICK = config -> config.interval(Duration.ofMillis(50))
            .maxRetries(3).heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO);
    /** interval 50 ms x max-retries 40: survives 30 % loss in each direction. */
    private static final Consumer<MessengerConfig.Builder> PATIENT = QUICK.andThen(config -> config.maxRetries(40));
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @RegisterExtension
    final TestNetwork network = new TestNetwork(3);

    private ReliableMessenger start(String name, Consumer<MessengerConfig.Builder> settings, Recorder recorder,
                                    String... peers) {
        return network.node(name).peers(peers).configure(settings).customize(recorder).start();
    }

    private static List<String> texts(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static void sendAll(ReliableMessenger from, String peer, List<String> payloads) {
        for (String payload : payloads) {
            assertThat(from.send(peer, bytes(payload), bytes("buffer-" + payload))).isTrue();
        }
    }

    @Test
    void aMessengerOnTheNetworkHoldsNoUdpPort() throws IOException {
        InetSocketAddress address;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
        ReliableMessenger alice = network.node("alice").at(address).peers("bob").configure(QUICK).start();
        Recorder bob = new Recorder();
        start("bob", QUICK, bob, "alice");

        assertThat(alice.localAddress()).isEqualTo(address);
        try (DatagramSocket samePort = new DatagramSocket(address)) {
            assertThat(samePort.getLocalSocketAddress()).as("the port is free while alice runs on it").isEqualTo(address);
        }
        assertThat(alice.send("bob", bytes("hello"), null)).isTrue();
        await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 1);
        assertThat(bob.texts()).containsExactly("hello");
        assertThat(network.carries(alice)).isTrue();
    }

    @Test
    void twoMessengersExchangeMessagesBothWaysEachDeliveredOnce() {
        Recorder aliceInbox = new Recorder();
        Recorder bobInbox = new Recorder();
        ReliableMessenger alice = start("alice", QUICK, aliceInbox, "bob");
        ReliableMessenger bob = start("bob", QUICK, bobInbox, "alice");

        sendAll(alice, "bob", texts("a", 50));
        sendAll(bob, "alice", texts("b", 50));

        await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 50 && bob.stats("alice").acked() == 50);
        assertThat(bobInbox.texts()).containsExactlyInAnyOrderElementsOf(texts("a", 50));
        assertThat(aliceInbox.texts()).containsExactlyInAnyOrderElementsOf(texts("b", 50));
        assertThat(bobInbox.received).allSatisfy(m -> assertThat(m.peer()).isEqualTo("alice"));
        assertThat(alice.config().clientId()).isNotEqualTo(bob.config().clientId());
        assertThat(aliceInbox.failures).isEmpty();
    }

    @Test
    void anArrivingDatagramWakesTheReceiversLoopLongBeforeItsOwnWaitEnds() {
        // interval 20 s: an idle loop waits 10 s at a time, so only the arrival can wake it in time
        Consumer<MessengerConfig.Builder> slow = QUICK.andThen(config -> config.interval(Duration.ofSeconds(20)));
        Recorder bobInbox = new Recorder();
        ReliableMessenger alice = start("alice", slow, new Recorder(), "bob");
        start("bob", slow, bobInbox, "alice");

        long start = System.nanoTime();
        alice.send("bob", bytes("wake up"), null);

        await().atMost(Duration.ofSeconds(5)).until(() -> alice.stats("bob").acked() == 1);
        assertThat(bobInbox.texts()).containsExactly("wake up");
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void anIdleLoopWaitsOnTheTransportInsteadOfSpinning() {
        AtomicLong waits = new AtomicLong();
        ReliableMessenger alice = network.node("alice").peers("bob")
                .configure(QUICK.andThen(config -> config.interval(Duration.ofMillis(200))))
                .customize(builder -> builder.transportDecorator(transport -> new CountingWaits(transport, waits)))
                .start();
        assertThat(alice.isRunning()).isTrue();
        await().atMost(WITHIN).until(() -> waits.get() > 0);

        long before = waits.get();
        // a 100 ms wait a pass: a handful in 600 ms; a loop that spins would count thousands
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> waits.get() - before < 40);
    }

    @Test
    void lossMakesRetransmissionsButEveryMessageIsAckedAndDeliveredOnce() {
        Recorder bobInbox = new Recorder();
        Recorder aliceEvents = new Recorder();
        // one message per datagram: with bundles of the path's size (64 KiB on the test network's loopback
        // addresses) 200 messages fit in a few datagrams, and 30 % loss might spare them all
        Consumer<MessengerConfig.Builder> unbundled = PATIENT.andThen(config -> config.bundleSize(0));
        ReliableMessenger alice = start("alice", unbundled, aliceEvents, "bob");
        start("bob", unbundled, bobInbox, "alice");
        network.lossRate(0.3);

        sendAll(alice, "bob", texts("m", 200));

        await().atMost(Duration.ofSeconds(30)).until(() -> alice.stats("bob").acked() == 200);
        assertThat(alice.stats("bob").retransmitted()).as("loss made retransmissions").isPositive();
        assertThat(network.dropped()).isPositive();
        assertThat(bobInbox.texts()).containsExactlyInAnyOrderElementsOf(texts("m", 200));
        assertThat(aliceEvents.failures).isEmpty();
    }

    @Test
    void withoutLossNothingIsDropped() {
        Recorder bobInbox = new Recorder();
        ReliableMessenger alice = start("alice", PATIENT, new Recorder(), "bob");
        start("bob", PATIENT, bobInbox, "alice");
        long droppedBeforeBobWasBound = network.dropped(); // alice's first probes to bob's address

        sendAll(alice, "bob", texts("m", 200));

        await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 200);
        assertThat(network.dropped()).isEqualTo(droppedBeforeBobWasBound);
        assertThat(bobInbox.received).hasSize(200);
    }

    @Test
    void everyMessageToAnIsolatedPeerFailsWithItsUserBufferAndAfterHealingTheyAreAckedAgain() {
        Recorder aliceEvents = new Recorder();
        Recorder bobInbox = new Recorder();
        ReliableMessenger alice = start("alice", QUICK, aliceEvents, "bob");
        start("bob", QUICK, bobInbox, "alice");
        network.isolate("bob");

        sendAll(alice, "bob", texts("lost", 5));

        await().atMost(WITHIN).until(() -> aliceEvents.failures.size() == 5);
        assertThat(aliceEvents.failedUserBuffers()).containsExactlyInAnyOrderElementsOf(
                texts("lost", 5).stream().map(t -> "buffer-" + t).toList());
        assertThat(aliceEvents.failures).allSatisfy(failure -> {
            assertThat(failure.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(failure.transmissions()).as("first send + max-retries").isEqualTo(4);
            assertThat(failure.peer()).isEqualTo("bob");
        });
        assertThat(bobInbox.received).isEmpty();

        network.heal("bob");
        sendAll(alice, "bob", texts("after", 5));
        await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 5);
        assertThat(bobInbox.texts()).containsExactlyInAnyOrderElementsOf(texts("after", 5));
        assertThat(aliceEvents.failures).hasSize(5);
    }

    @Test
    void cuttingOnlyTheAcksFailsMessagesThatWereDeliveredOnce() {
        Recorder aliceEvents = new Recorder();
        Recorder bobInbox = new Recorder();
        ReliableMessenger alice = start("alice", QUICK, aliceEvents, "bob");
        ReliableMessenger bob = start("bob", QUICK, bobInbox, "alice");
        network.cutOneWay("bob", "alice");

        sendAll(alice, "bob", texts("m", 5));

        await().atMost(WITHIN).until(() -> aliceEvents.failures.size() == 5);
        assertThat(bobInbox.texts()).containsExactlyInAnyOrderElementsOf(texts("m", 5));
        assertThat(bob.stats("alice").duplicates()).as("every retransmission reached bob").isEqualTo(5 * 3);
        assertThat(aliceEvents.failures).extracting(SendFailure::reason).containsOnly(FailureReason.RETRIES_EXHAUSTED);
    }

    @Test
    void aCutBetweenTwoPeersLeavesTheThirdReachable() {
        Recorder aliceEvents = new Recorder();
        ReliableMessenger alice = start("alice", QUICK, aliceEvents, "bob", "carol");
        start("bob", QUICK, new Recorder(), "alice");
        start("carol", QUICK, new Recorder(), "alice");
        network.cut("alice", "bob");

        alice.send("bob", bytes("x"), bytes("to-bob"));
        alice.send("carol", bytes("y"), bytes("to-carol"));

        await().atMost(WITHIN).until(() -> aliceEvents.failures.size() == 1 && alice.stats("carol").acked() == 1);
        assertThat(aliceEvents.failedUserBuffers()).containsExactly("to-bob");
    }

    @Test
    void duplicatedDatagramsAreDeliveredOnceAndCountedAsDuplicates() {
        Recorder bobInbox = new Recorder();
        ReliableMessenger alice = start("alice", QUICK, new Recorder(), "bob");
        ReliableMessenger bob = start("bob", QUICK, bobInbox, "alice");
        network.duplicationRate(1);

        sendAll(alice, "bob", texts("m", 20));

        await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 20 && bob.stats("alice").duplicates() >= 20);
        assertThat(bobInbox.texts()).containsExactlyInAnyOrderElementsOf(texts("m", 20));
        assertThat(network.duplicated()).isPositive();
    }

    @Test
    void aDelayOnEveryDatagramLengthensTheRoundTrip() throws Exception {
        Consumer<MessengerConfig.Builder> roomy = PATIENT.andThen(config -> config.interval(Duration.ofSeconds(1)));
        ReliableMessenger alice = start("alice", roomy, new Recorder(), "bob");
        start("bob", roomy, new Recorder(), "alice");
        network.delay(Duration.ofMillis(100), Duration.ofMillis(100));

        SendResult result = alice.sendAsync("bob", bytes("slow"), null).get(10, TimeUnit.SECONDS);

        assertThat(result.latency()).as("100 ms there, 100 ms back").isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(result.transmissions()).isEqualTo(1);
    }

    @Test
    void aRoundTripLongerThanTheIntervalMakesTheAcksStaleAndFailsTheMessage() {
        Recorder aliceEvents = new Recorder();
        ReliableMessenger alice = start("alice", QUICK, aliceEvents, "bob");
        ReliableMessenger bob = start("bob", QUICK, new Recorder(), "alice");
        network.delay(Duration.ofMillis(100), Duration.ofMillis(100));

        alice.send("bob", bytes("late"), bytes("late-buffer"));

        await().atMost(WITHIN).until(() -> aliceEvents.failures.size() == 1);
        assertThat(aliceEvents.failedUserBuffers()).containsExactly("late-buffer");
        assertThat(bob.stats("alice").delivered()).as("the message arrived, in time").isEqualTo(1);
        // the first ack comes back 200 ms after the first send, just when the message fails (4 x 50 ms): wait for it,
        // or for the acks of the later copies, rather than race the failure
        await().atMost(WITHIN).untilAsserted(() -> assertThat(alice.stats("bob").staleAcksDropped())
                .as("its acks came back older than the interval").isPositive());
    }

    @Test
    void aNodeRestartedUnderItsNameIsReachableAgainAtItsAddress() {
        ReliableMessenger alice = start("alice", QUICK, new Recorder(), "bob");
        ReliableMessenger bob = start("bob", QUICK, new Recorder(), "alice");
        InetSocketAddress bobAddress = bob.localAddress();
        bob.close();

        Recorder restartedInbox = new Recorder();
        ReliableMessenger restarted = start("bob", QUICK, restartedInbox, "alice");
        alice.send("bob", bytes("again"), null);

        await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 1);
        assertThat(restarted.localAddress()).isEqualTo(bobAddress);
        assertThat(restarted.config().clientId()).isEqualTo(bob.config().clientId());
        assertThat(restarted.incarnation()).isNotEqualTo(bob.incarnation());
        assertThat(restartedInbox.texts()).containsExactly("again");
    }

    @Test
    void aMessengerBuiltByTheTestJoinsWithTransportForAndItsPeersBecomeNodeNames() {
        Recorder bobInbox = new Recorder();
        start("bob", QUICK, bobInbox, "alice");
        MessengerConfig config = MessengerConfig.builder().clientId(77).bindAddress("0.0.0.0")
                .port(network.address("alice").getPort()).peer("bob", "127.0.0.1", network.address("bob").getPort())
                .heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO).build();
        try (ReliableMessenger alice = ReliableMessenger.builder(config).transport(network::transportFor).build()) {
            alice.start();

            assertThat(alice.localAddress()).as("0.0.0.0 is the loopback address").isEqualTo(network.address("alice"));
            alice.send("bob", bytes("by hand"), null);
            await().atMost(WITHIN).until(() -> alice.stats("bob").acked() == 1);
            assertThat(bobInbox.texts()).containsExactly("by hand");
            network.isolate("bob"); // a name the configuration gave
        }
    }

    @Test
    void portZeroGetsAPortNoOtherNodeUses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Transport transport = network.transportFor(MessengerConfig.builder().clientId(100 + i).build());
            addresses.add(transport.localAddress());
            transport.close();
        }
        assertThat(network.address("alice")).isNotIn(addresses);
        assertThat(addresses).allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
    }

    @Test
    void anUnknownNodeNameIsRefusedNamingTheKnownOnes() {
        network.address("alice");

        assertThatThrownBy(() -> network.isolate("bobb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no node 'bobb'").hasMessageContaining("[alice]");
        assertThatThrownBy(() -> network.node(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesOutsideZeroToOneAndBackwardDelaysAreRefused() {
        assertThatThrownBy(() -> network.lossRate(1.5)).hasMessage("loss rate must be in [0, 1] but was 1.5");
        assertThatThrownBy(() -> network.duplicationRate(-0.1)).hasMessageContaining("duplication rate must be in [0, 1]");
        assertThatThrownBy(() -> network.lossRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> network.delay(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 <= min <= max");
    }

    /** Counts the I/O loop's waits on the transport. */
    private static final class CountingWaits extends ForwardingTransport {
        private final AtomicLong waits;

        CountingWaits(Transport delegate, AtomicLong waits) {
            super(delegate);
            this.waits = waits;
        }

        @Override
        public void await(long timeoutNs) throws IOException {
            waits.incrementAndGet();
            super.await(timeoutNs);
        }
    }
}
