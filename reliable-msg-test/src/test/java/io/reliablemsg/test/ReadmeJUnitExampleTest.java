package io.reliablemsg.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's JUnit example ("Test with the test kit"), as written there. */
class ReadmeJUnitExampleTest {
    private final byte[] invoice = "invoice".getBytes(UTF_8);

    @RegisterExtension
    final TestNetwork network = new TestNetwork(42);                        // seed of the random draws

    @Test
    void anOrderThatBillingNeverAckedComesBackWithItsUserBuffer() {
        List<SendFailure> failures = new CopyOnWriteArrayList<>();
        ReliableMessenger shop = network.node("shop").peers("billing")
                .configure(config -> config.interval(Duration.ofMillis(50)).maxRetries(3))
                .customize(builder -> builder.failureListener(failures::add))
                .start();
        network.messenger("billing", "shop");

        network.isolate("billing");                                         // both ways, until healed
        shop.send("billing", invoice, "order-7".getBytes(UTF_8));

        await().atMost(Duration.ofSeconds(5)).until(() -> failures.size() == 1);
        assertThat(failures.get(0).userBuffer()).isEqualTo("order-7".getBytes(UTF_8));
    }
}
