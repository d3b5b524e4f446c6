package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code reliable-msg.handler-threads}: handlers of two peers run concurrently, each peer's in order on one
 * thread; {@code spring.threads.virtual.enabled=true} puts them on virtual threads where the JVM has them
 * (Java 21+; on Java 17 the property has no effect and they stay platform threads). Real UDP on 127.0.0.1.
 */
class HandlerThreadsTest {
    private static final int MESSAGES = 20;

    private final int port = FreeUdpPort.find();
    private final int alicePort = FreeUdpPort.find();
    private final int bobPort = FreeUdpPort.find();

    private ApplicationContextRunner runner(String... more) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withUserConfiguration(Receivers.class)
                .withPropertyValues("reliable-msg.client-id=5", "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.port=" + port, "reliable-msg.peers.alice=127.0.0.1:" + alicePort,
                        "reliable-msg.peers.bob=127.0.0.1:" + bobPort, "reliable-msg.interval=200ms",
                        "reliable-msg.close-timeout=0s")
                .withPropertyValues(more);
    }

    private ReliableMessenger sender(int clientId, int ownPort) {
        return ReliableMessenger.builder(MessengerConfig.builder().clientId(clientId).bindAddress("127.0.0.1")
                .port(ownPort).peer("app", "127.0.0.1", port).build()).build();
    }

    /**
     * "alice" and "bob" fall on different lanes of 2 (their names' hashes differ in the low bit). Alice's
     * first message blocks its handler until all of bob's have run: with one lane that could never happen.
     */
    @Test
    void twoPeersHandlersRunConcurrentlyAndEachPeerInOrder() {
        assertThat(Math.floorMod("alice".hashCode(), 2)).isNotEqualTo(Math.floorMod("bob".hashCode(), 2));
        runner("reliable-msg.handler-threads=2").run(context -> {
            assertThat(context.getBean(ReliableMessenger.class).config().handlerThreads()).isEqualTo(2);
            Receivers receivers = context.getBean(Receivers.class);
            receivers.blockFirstOfAlice = true;
            try (ReliableMessenger alice = sender(6, alicePort); ReliableMessenger bob = sender(7, bobPort)) {
                alice.start();
                bob.start();
                for (int i = 0; i < MESSAGES; i++) {
                    assertThat(alice.send("app", new byte[] {(byte) i}, null)).isTrue();
                }
                assertThat(receivers.aliceEntered.await(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < MESSAGES; i++) {
                    assertThat(bob.send("app", new byte[] {(byte) i}, null)).isTrue();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> receivers.order("alice").size() == MESSAGES
                        && receivers.order("bob").size() == MESSAGES);
            }
            assertThat(receivers.bobDoneWhileAliceBlocked).as("bob's handlers ran while alice's blocked").isTrue();
            for (String peer : List.of("alice", "bob")) {
                // UDP may reorder on the way, and a lost copy arrives later: order per peer is arrival order,
                // so check one thread per peer and every message once
                assertThat(receivers.order(peer)).as(peer).doesNotHaveDuplicates().hasSize(MESSAGES);
                assertThat(receivers.threads.get(peer)).as("one thread for " + peer).hasSize(1);
            }
            assertThat(receivers.threads.get("alice")).doesNotContainAnyElementsOf(receivers.threads.get("bob"));
        });
    }

    @Test
    void virtualThreadsWhenSpringEnablesThemAndTheJvmHasThem() {
        boolean jvmHasVirtualThreads = Runtime.version().feature() >= 21;
        runner("spring.threads.virtual.enabled=true").run(context -> {
            Receivers receivers = context.getBean(Receivers.class);
            try (ReliableMessenger alice = sender(6, alicePort)) {
                alice.start();
                assertThat(alice.send("app", new byte[] {1}, null)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> receivers.order("alice").size() == 1);
            }
            Thread handlerThread = receivers.lastThread;
            assertThat(isVirtual(handlerThread)).as("virtual on Java 21+, a platform thread on " + Runtime.version())
                    .isEqualTo(jvmHasVirtualThreads);
            assertThat(handlerThread.getName()).isEqualTo("reliable-msg-callbacks-5");
        });
    }

    private static boolean isVirtual(Thread thread) throws Exception {
        if (Runtime.version().feature() < 21) {
            return false; // no virtual threads before Java 21 (Thread.isVirtual does not exist)
        }
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    @Configuration(proxyBeanMethods = false)
    static class Receivers {
        final Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        final Map<String, Set<String>> threads = new ConcurrentHashMap<>();
        final CountDownLatch aliceEntered = new CountDownLatch(1);
        final CountDownLatch bobDone = new CountDownLatch(MESSAGES);
        volatile boolean blockFirstOfAlice;
        volatile boolean bobDoneWhileAliceBlocked;
        volatile Thread lastThread;

        List<Integer> order(String peer) {
            return received.getOrDefault(peer, List.of());
        }

        @Bean
        InboundHandler recordingHandler() {
            return message -> {
                lastThread = Thread.currentThread();
                threads.computeIfAbsent(message.peer(), p -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
                if (blockFirstOfAlice && message.peer().equals("alice") && order("alice").isEmpty()) {
                    aliceEntered.countDown();
                    try {
                        bobDoneWhileAliceBlocked = bobDone.await(15, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                received.computeIfAbsent(message.peer(), p -> new CopyOnWriteArrayList<>()).add((int) message.payload()[0]);
                if (message.peer().equals("bob")) {
                    bobDone.countDown();
                }
            };
        }
    }
}
