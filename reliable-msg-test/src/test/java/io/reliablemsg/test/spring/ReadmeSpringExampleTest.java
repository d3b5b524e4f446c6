package io.reliablemsg.test.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.SendFailedEvent;
import io.reliablemsg.test.TestNetwork;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/** The README's Spring Boot example ("Test with the test kit"), as written there, with an application around it. */
@SpringBootTest(classes = ReadmeSpringExampleTest.ShopApplication.class, properties = {
        "reliable-msg.client-id=1", "reliable-msg.port=7001",
        "reliable-msg.peers.billing=127.0.0.1:7002", "reliable-msg.interval=50ms", "reliable-msg.max-retries=3"})
@AutoConfigureReliableMsgTestNetwork(seed = 42)
class ReadmeSpringExampleTest {
    private final byte[] invoice = "invoice".getBytes(UTF_8);

    @Autowired TestNetwork network;
    @Autowired ReliableMessenger messenger;
    @Autowired FailedOrders failedOrders;                  // the application's @EventListener for SendFailedEvent

    @Test
    void ordersSentWhileBillingIsCutOffAreCompensated() {
        network.node("billing").peer("shop", messenger.localAddress()).start();   // at 127.0.0.1:7002
        network.isolate("billing");

        messenger.send("billing", invoice, "order-7".getBytes(UTF_8));

        await().atMost(Duration.ofSeconds(5)).until(() -> failedOrders.userBuffers().contains("order-7"));
    }

    /** The application's failure handling that the example relies on. */
    static class FailedOrders {
        private final List<String> userBuffers = new CopyOnWriteArrayList<>();

        @EventListener
        void onSendFailed(SendFailedEvent event) {
            userBuffers.add(new String(event.getUserBuffer(), UTF_8));
        }

        List<String> userBuffers() {
            return userBuffers;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(FailedOrders.class)
    static class ShopApplication {
    }
}
