package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PathState;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerHealthContributorAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerMetricsAutoConfiguration;
import io.reliablemsg.spring.health.ReliableMessengerHealthIndicator;
import io.reliablemsg.spring.metrics.ReliableMessengerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

/**
 * A peer with two addresses from {@code reliable-msg.peers.<name>=a,b}: the first is a loopback port
 * nothing listens on, the second a live messenger. The first path fails, the traffic moves to the
 * second, nothing fails, and the change is visible as {@link PeerPathEvent}s, in the health details
 * ({@code peers.<name>.paths}) and as meters tagged {@code peer} and {@code path}. Real UDP on 127.0.0.1.
 */
class MultiPathPeerTest {
    @Test
    void theSecondAddressTakesOverAndEveryViewShowsIt() throws Exception {
        try (ReliableMessenger live = ReliableMessenger.builder(MessengerConfig.builder().clientId(9)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).build()).build()) {
            live.start();
            String dead = "127.0.0.1:" + FreeUdpPort.find();
            String alive = "127.0.0.1:" + live.localAddress().getPort();
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                            ReliableMessengerHealthContributorAutoConfiguration.class,
                            ReliableMessengerMetricsAutoConfiguration.class))
                    .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                    .withBean(PathEvents.class)
                    .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1",
                            "reliable-msg.peers.b=" + dead + "," + alive, "reliable-msg.interval=50ms",
                            "reliable-msg.path-max-retransmissions=2", "reliable-msg.return-to-primary=true")
                    .run(context -> {
                        ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        context.getBean(ReliableMessengerMetrics.class).bindTo(registry); // no Boot metrics here
                        assertThat(messenger.config().pathMaxRetransmissions()).isEqualTo(2);
                        for (int i = 0; i < 5; i++) {
                            assertThat(messenger.send("b", new byte[] {(byte) i}, null)).isTrue();
                        }
                        await().atMost(Duration.ofSeconds(10)).until(() -> messenger.stats("b").acked() == 5);
                        assertThat(messenger.stats("b").failed()).isZero();
                        assertThat(live.stats().delivered()).isEqualTo(5);

                        List<PeerPathEvent> events = context.getBean(PathEvents.class).events;
                        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
                        assertThat(events).extracting(e -> e.getPath() + " " + e.getState())
                                .startsWith(dead + " FAILED", alive + " ACTIVE");
                        assertThat(events).allSatisfy(e -> assertThat(e.getPeer()).isEqualTo("b"));
                        assertThat(context.getBean(PathEvents.class).threads)
                                .allSatisfy(t -> assertThat(t).startsWith("reliable-msg-callbacks-"));

                        @SuppressWarnings("unchecked")
                        Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) context
                                .getBean(ReliableMessengerHealthIndicator.class).health().getDetails().get("peers"))
                                .get("b");
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> paths = (List<Map<String, Object>>) b.get("paths");
                        assertThat(paths).extracting(p -> p.get("address") + " " + p.get("state"))
                                .containsExactly(dead + " FAILED", alive + " ACTIVE");
                        assertThat(paths.get(1)).containsKey("roundTripMillis");

                        assertThat(registry.get("reliable.msg.path.state").tags("peer", "b", "path", alive,
                                "state", "active").gauge().value()).isEqualTo(1.0);
                        assertThat(registry.get("reliable.msg.path.state").tags("peer", "b", "path", dead,
                                "state", "failed").gauge().value()).isEqualTo(1.0);
                        assertThat(registry.get("reliable.msg.path.failures").tags("peer", "b", "path", dead)
                                .functionCounter().count()).isEqualTo(1.0);
                        assertThat(messenger.stats("b").paths().get(0).state()).isEqualTo(PathState.FAILED);
                    });
        }
    }

    @Test
    void aBadAddressListIsAStartUpErrorNamingTheProperty() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.peers.b=10.1.0.2:7000,,10.2.0.2:7000",
                        "reliable-msg.peers.c=10.1.0.3:7000,10.1.0.3:7000", "reliable-msg.path-max-retransmissions=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().message()
                        .contains("reliable-msg.peers.b").contains("empty address")
                        .contains("reliable-msg.peers.c").contains("twice")
                        .contains("reliable-msg.path-max-retransmissions"));
    }

    @Test
    void moreThanEightAddressesIsAStartUpErrorNamingTheProperty() {
        String nine = String.join(",", java.util.stream.IntStream.rangeClosed(1, 9)
                .mapToObj(i -> "10.1.0." + i + ":7000").toList());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.peers.b=" + nine)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().message()
                        .contains("reliable-msg.peers.b").contains("at most 8 addresses but has 9"));
    }

    @Test
    void anAddressThatIsThisNodesOwnSocketFailsTheStartNamingTheProperty() {
        // only the bound socket tells: with port 0 the kernel picks the port, so the check runs at start
        int port = FreeUdpPort.find();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.port=" + port, "reliable-msg.peers.b=10.1.0.2:7000,127.0.0.1:" + port)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    InvalidReliableMsgPropertiesException problem = findCause(failure,
                            InvalidReliableMsgPropertiesException.class);
                    assertThat(problem).as("cause chain of %s", failure).isNotNull();
                    assertThat(problem.problems()).singleElement().satisfies(p -> {
                        assertThat(p.property()).isEqualTo("reliable-msg.peers.b");
                        assertThat(p.reason()).contains("127.0.0.1:" + port).contains("this node's own socket");
                    });
                });
        try (java.net.DatagramSocket again = new java.net.DatagramSocket(
                new java.net.InetSocketAddress("127.0.0.1", port))) {
            assertThat(again.getLocalPort()).as("the refused messenger released its socket").isEqualTo(port);
        } catch (java.net.SocketException e) {
            throw new AssertionError("port " + port + " still bound after the failed start", e);
        }
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Records every path event and the thread it came on. */
    static final class PathEvents {
        final List<PeerPathEvent> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @EventListener
        void on(PeerPathEvent event) {
            threads.add(Thread.currentThread().getName());
            events.add(event);
        }
    }
}
