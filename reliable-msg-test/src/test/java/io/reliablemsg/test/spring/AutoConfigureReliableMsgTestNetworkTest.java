package io.reliablemsg.test.spring;

import static io.reliablemsg.test.spring.EventRecorder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.FailureReason;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.SendFailedEvent;
import io.reliablemsg.test.TestNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A {@code @SpringBootTest} with the annotation: the starter's messenger runs on the network at its
 * configured port, a peer the test starts there talks to it under the name the application's
 * properties give it, cutting that peer off publishes the SendFailedEvents, and each test method
 * finds the network whole and the previous method's messengers closed.
 */
@SpringBootTest(classes = AutoConfigureReliableMsgTestNetworkTest.App.class, properties = {
        "reliable-msg.client-id=1", "reliable-msg.port=17301", "reliable-msg.peers.bob=127.0.0.1:17302",
        "reliable-msg.interval=50ms", "reliable-msg.max-retries=3", "reliable-msg.heartbeat-interval=0s",
        "reliable-msg.close-timeout=0s", "spring.jmx.enabled=false"})
@AutoConfigureReliableMsgTestNetwork(seed = 42)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureReliableMsgTestNetworkTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static ReliableMessenger bobOfAnEarlierTest;

    @Autowired
    TestNetwork network;
    @Autowired
    ReliableMessenger messenger;
    @Autowired
    EventRecorder application;

    private final List<InboundMessage> bobInbox = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forgetEarlierTests() {
        application.clear();
    }

    private ReliableMessenger startBob() {
        return network.node("bob").peer("app", messenger.localAddress())
                .configure(config -> config.heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO))
                .customize(builder -> builder.inboundHandler(bobInbox::add)).start();
    }

    @Test
    @Order(1)
    void theApplicationsMessengerRunsOnTheNetworkAtItsConfiguredPortWithTheAnnotationsSeed() {
        assertThat(network.carries(messenger)).isTrue();
        assertThat(messenger.localAddress()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 17301));
        assertThat(network.seed()).isEqualTo(42);
    }

    @Test
    @Order(2)
    void aPeerStartedOnTheNetworkUnderItsConfiguredNameExchangesMessagesWithTheApplication() {
        ReliableMessenger bob = startBob();
        bobOfAnEarlierTest = bob;

        assertThat(bob.localAddress()).as("where reliable-msg.peers.bob points")
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 17302));
        assertThat(messenger.send("bob", bytes("to bob"), null)).isTrue();
        assertThat(bob.send("app", bytes("to the application"), null)).isTrue();

        await().atMost(WITHIN).until(() -> bobInbox.size() == 1 && application.received.size() == 1);
        assertThat(application.texts()).containsExactly("to the application");
        assertThat(application.received.get(0).peer()).isEqualTo("bob");
        assertThat(new String(bobInbox.get(0).payload())).isEqualTo("to bob");
        network.isolate("bob").lossRate(1); // left for the listener to undo
    }

    @Test
    @Order(3)
    void eachTestFindsTheNetworkWholeAndTheMessengersOfEarlierTestsClosed() {
        assertThat(bobOfAnEarlierTest.isClosed()).isTrue();
        ReliableMessenger bob = startBob();

        messenger.send("bob", bytes("again"), null);

        await().atMost(WITHIN).until(() -> bobInbox.size() == 1);
        assertThat(bob.isRunning()).isTrue();
        assertThat(application.failures).isEmpty();
    }

    @Test
    @Order(4)
    void cuttingThePeerOffPublishesOneSendFailedEventPerMessageWithItsUserBuffer() {
        startBob();
        network.isolate("bob");

        for (int i = 0; i < 3; i++) {
            assertThat(messenger.send("bob", bytes("m" + i), bytes("order-" + i))).isTrue();
        }

        await().atMost(WITHIN).until(() -> application.failures.size() == 3);
        assertThat(application.failedUserBuffers()).containsExactlyInAnyOrder("order-0", "order-1", "order-2");
        assertThat(application.failures).allSatisfy(event -> {
            assertThat(event.getPeer()).isEqualTo("bob");
            assertThat(event.getReason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(event.getAttempts()).isEqualTo(4);
            assertThat(event.getMessenger()).isSameAs(messenger);
        });
        assertThat(bobInbox).isEmpty();

        network.heal("bob");
        messenger.send("bob", bytes("healed"), bytes("order-3"));
        await().atMost(WITHIN).until(() -> bobInbox.size() == 1);
        assertThat(application.failures).extracting(SendFailedEvent::getMsgId).hasSize(3);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EventRecorder.class)
    static class App {
    }
}
