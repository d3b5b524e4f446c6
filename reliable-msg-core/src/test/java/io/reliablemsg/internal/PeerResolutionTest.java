package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Host-name resolution on its own, with a resolver of the test's and the rounds run on the loop's thread
 * (no thread name): literals are never looked up; a name gives one address per answer with the port
 * given, each once, at most {@link MessengerConfig#MAX_PATHS_PER_PEER}; a name without an answer adds
 * nothing; the first round comes one interval after the first pass (the names were resolved when the
 * peers were added), the next one interval after that, none with the interval zero; a round moves a
 * peer whose answer changed and leaves one whose lookup failed where it is.
 */
class PeerResolutionTest {
    private static final long S = 1_000_000_000L;

    /** Answers by name; a name without an entry does not resolve. */
    private final Map<String, List<InetAddress>> records = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private final PeerResolver resolver = host -> {
        lookups.add(host);
        List<InetAddress> found = records.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    };

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void record(String name, String... literals) {
        List<InetAddress> list = new ArrayList<>();
        for (String l : literals) {
            list.add(ip(l));
        }
        records.put(name, list);
    }

    private static PeerResolution resolution(PeerResolver resolver, Duration interval) {
        return new PeerResolution(resolver,
                MessengerConfig.builder().clientId(1).peerResolutionInterval(interval).build());
    }

    private static InetSocketAddress named(String host, int port) {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Test
    void literalsAreHostNamesOfNoOneAndAreNeverLookedUp() {
        assertThat(PeerResolution.hasHostNames(List.of(named("10.0.0.2", 7000), named("fe80::1", 7000),
                named("::1", 7000)))).isFalse();
        assertThat(PeerResolution.hasHostNames(List.of(named("10.0.0.2", 7000), named("node-b", 7000)))).isTrue();
        assertThat(PeerResolution.hasHostNames(List.of(named("10.0.0", 7000)))).as("not four numbers").isTrue();
        assertThat(PeerResolution.hasHostNames(List.of())).isFalse();

        List<InetSocketAddress> resolved = resolution(resolver, Duration.ofSeconds(1))
                .resolve("b", List.of(named("10.0.0.2", 7000), new InetSocketAddress("10.0.0.3", 7001)), 0);

        assertThat(resolved).containsExactly(new InetSocketAddress("10.0.0.2", 7000),
                new InetSocketAddress("10.0.0.3", 7001));
        assertThat(resolved.get(0).isUnresolved()).isFalse();
        assertThat(lookups).isEmpty();
    }

    @Test
    void aNameGivesOneAddressPerAnswerWithThePortGivenEachOnceAndANameWithoutAnswerNone() {
        record("node-b", "10.0.0.2", "10.0.1.2");
        records.put("empty", List.of());

        List<InetSocketAddress> resolved = resolution(resolver, Duration.ofSeconds(1)).resolve("b",
                List.of(named("node-b", 7000), named("10.0.0.2", 7000), named("missing", 7000),
                        named("empty", 7000)), 0);

        assertThat(resolved).containsExactly(new InetSocketAddress("10.0.0.2", 7000),
                new InetSocketAddress("10.0.1.2", 7000));
        assertThat(resolved).allSatisfy(a -> assertThat(a.getHostString()).as("no name: stats show the address")
                .doesNotContain("node"));
        assertThat(lookups).containsExactly("node-b", "missing", "empty");
    }

    @Test
    void aResolverThatThrowsAddsNothing() {
        PeerResolver broken = host -> {
            throw new IllegalStateException("resolver down");
        };
        assertThat(resolution(broken, Duration.ofSeconds(1)).resolve("b", List.of(named("node-b", 7000)), 0)).isEmpty();
        assertThat(resolution(host -> null, Duration.ofSeconds(1)).resolve("b", List.of(named("node-b", 7000)), 0))
                .isEmpty();
    }

    @Test
    void aNameWithMoreAnswersThanPathsGivesTheFirstEight() {
        String[] nine = new String[MessengerConfig.MAX_PATHS_PER_PEER + 1];
        for (int i = 0; i < nine.length; i++) {
            nine[i] = "10.0.0." + (i + 1);
        }
        record("many", nine);
        record("eight", java.util.Arrays.copyOf(nine, MessengerConfig.MAX_PATHS_PER_PEER));

        PeerResolution r = resolution(resolver, Duration.ofSeconds(1));
        assertThat(r.resolve("b", List.of(named("many", 7000)), 0)).hasSize(MessengerConfig.MAX_PATHS_PER_PEER)
                .first().isEqualTo(new InetSocketAddress("10.0.0.1", 7000));
        assertThat(r.resolve("b", List.of(named("many", 7000)), 0)).last()
                .isEqualTo(new InetSocketAddress("10.0.0.8", 7000));
        assertThat(r.resolve("c", List.of(named("eight", 7000)), 0)).hasSize(MessengerConfig.MAX_PATHS_PER_PEER);
    }

    @Test
    void theFirstRoundComesOneIntervalAfterTheFirstPassAndTheNextOneIntervalLater() {
        PeerDirectory directory = new PeerDirectory(MessengerConfig.builder().clientId(1).build(), new SendSlots(8));
        record("node-b", "10.0.0.2");
        PeerResolution r = resolution(resolver, Duration.ofSeconds(1));
        List<InetSocketAddress> given = List.of(named("node-b", 7000));
        directory.add("b", null, given, r.resolve("b", given, 0));
        r.start(directory, null); // rounds on the calling thread
        lookups.clear();
        assertThat(r.nextRoundNs()).as("due at the first pass").isEqualTo(Long.MIN_VALUE);

        r.onPass(5 * S); // the first pass: no round, the names were just resolved
        assertThat(lookups).isEmpty();
        assertThat(r.nextRoundNs()).isEqualTo(6 * S);

        r.onPass(6 * S - 1);
        assertThat(lookups).isEmpty();
        record("node-b", "10.0.0.9"); // the record changes
        r.onPass(6 * S);
        assertThat(lookups).containsExactly("node-b");
        assertThat(directory.find("b").paths.paths).extracting(p -> p.outbox.address)
                .containsExactly(new InetSocketAddress("10.0.0.9", 7000));
        assertThat(r.nextRoundNs()).isEqualTo(7 * S);

        records.remove("node-b"); // the DNS server fails for a while: b keeps its address
        r.onPass(7 * S);
        assertThat(lookups).hasSize(2);
        assertThat(directory.find("b").paths.paths).extracting(p -> p.outbox.address)
                .containsExactly(new InetSocketAddress("10.0.0.9", 7000));

        r.close();
        r.onPass(8 * S);
        assertThat(lookups).as("closed: a round looks nothing up").hasSize(2);
    }

    @Test
    void roundsRunOnADaemonThreadOfTheGivenName() throws Exception {
        java.util.concurrent.CompletableFuture<Thread> asked = new java.util.concurrent.CompletableFuture<>();
        PeerResolver recording = host -> {
            if (!"node-b".equals(host) || asked.isDone()) {
                return List.of(ip("10.0.0.2"));
            }
            asked.complete(Thread.currentThread());
            return List.of(ip("10.0.0.2"));
        };
        PeerDirectory directory = new PeerDirectory(MessengerConfig.builder().clientId(1).build(), new SendSlots(8));
        List<InetSocketAddress> given = List.of(named("node-b", 7000));
        directory.add("b", null, given, List.of(new InetSocketAddress("10.0.0.2", 7000)));
        PeerResolution r = resolution(recording, Duration.ofSeconds(1));
        r.start(directory, "resolver-test");
        try {
            r.onPass(0);
            r.onPass(S);
            Thread thread = asked.get(30, java.util.concurrent.TimeUnit.SECONDS); // guards a hang only
            assertThat(thread.getName()).isEqualTo("resolver-test");
            assertThat(thread.isDaemon()).as("a hanging lookup must not keep the JVM alive").isTrue();
        } finally {
            r.close();
        }
    }

    @Test
    void withLiteralAddressesOnlyNoRoundStartsAndNoResolverThread() {
        PeerDirectory directory = new PeerDirectory(MessengerConfig.builder().clientId(1).build(), new SendSlots(8));
        PeerResolution r = resolution(resolver, Duration.ofSeconds(1));
        List<InetSocketAddress> given = List.of(named("10.0.0.3", 7000));
        directory.add("c", null, given, r.resolve("c", given, 0));
        r.start(directory, "resolver-literals-test");
        try {
            for (int i = 0; i < 4; i++) {
                r.onPass(i * S); // rounds due at 1 s, 2 s, 3 s
            }
            assertThat(lookups).isEmpty();
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .doesNotContain("resolver-literals-test");
        } finally {
            r.close();
        }
    }

    @Test
    void withTheIntervalZeroThereAreNoRounds() {
        PeerDirectory directory = new PeerDirectory(MessengerConfig.builder().clientId(1).build(), new SendSlots(8));
        record("node-b", "10.0.0.2");
        PeerResolution r = resolution(resolver, Duration.ZERO);
        List<InetSocketAddress> given = List.of(named("node-b", 7000));
        directory.add("b", null, given, r.resolve("b", given, 0));
        r.start(directory, null);
        lookups.clear();

        assertThat(r.nextRoundNs()).isEqualTo(Long.MAX_VALUE);
        r.onPass(0);
        r.onPass(1_000 * S);
        assertThat(lookups).isEmpty();
    }

    @Test
    void aPeerWithoutAddressIsGivenTheAnswerOfARoundAndALiteralPeerIsNotLookedUp() {
        PeerDirectory directory = new PeerDirectory(MessengerConfig.builder().clientId(1).build(), new SendSlots(8));
        PeerResolution r = resolution(resolver, Duration.ofSeconds(1));
        List<InetSocketAddress> given = List.of(named("node-b", 7000), named("late", 7000));
        directory.add("b", null, given, r.resolve("b", given, 0)); // neither resolves: unresolved
        directory.add("c", null, List.of(named("10.0.0.3", 7000)), List.of(new InetSocketAddress("10.0.0.3", 7000)));
        r.start(directory, null);
        assertThat(directory.find("b").paths.paths).isEmpty();
        r.onPass(0);
        lookups.clear();

        record("node-b", "10.0.0.2"); // one name of two resolves: b had none, so it takes what there is
        r.onPass(S);

        assertThat(lookups).containsExactly("node-b", "late");
        assertThat(directory.find("b").paths.paths).extracting(p -> p.outbox.address)
                .containsExactly(new InetSocketAddress("10.0.0.2", 7000));
    }
}
