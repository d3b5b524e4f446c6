package io.reliablemsg.test;

import static io.reliablemsg.test.Recorder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.ReliableMessenger;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A static {@link TestNetwork} extension: messengers started in {@code @BeforeAll} live through all
 * tests, those a test starts are closed after it, and no fault or partition outlives its test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestNetworkAsAnExtensionTest {
    @RegisterExtension
    static final TestNetwork NETWORK = new TestNetwork();

    private static ReliableMessenger server;
    private static ReliableMessenger startedByTheFirstTest;

    @BeforeAll
    static void startTheServerForAllTests() {
        server = NETWORK.node("server").peers("client")
                .configure(config -> config.heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO)).start();
    }

    private static ReliableMessenger client() {
        return NETWORK.node("client").peers("server").configure(config -> config.interval(Duration.ofMillis(50))
                .maxRetries(2).heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO)).start();
    }

    @Test
    @Order(1)
    void aTestStartsAClientAndCutsTheServerOff() {
        startedByTheFirstTest = client();
        NETWORK.isolate("server").lossRate(1);

        assertThat(startedByTheFirstTest.isRunning()).isTrue();
    }

    @Test
    @Order(2)
    void theNextTestFindsThatClientClosedTheServerRunningAndTheNetworkWhole() {
        assertThat(startedByTheFirstTest.isClosed()).as("closed after the test that started it").isTrue();
        assertThat(server.isRunning()).as("started in @BeforeAll").isTrue();

        ReliableMessenger client = client();
        client.send("server", bytes("through"), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.stats("server").acked() == 1);
        assertThat(client.stats("server").failed()).isZero();
    }
}
