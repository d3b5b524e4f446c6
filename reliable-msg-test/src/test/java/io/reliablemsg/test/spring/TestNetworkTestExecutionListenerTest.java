package io.reliablemsg.test.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.test.TestNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;

/** The listener around each test method of a context with a test network. */
class TestNetworkTestExecutionListenerTest {
    private final TestNetworkTestExecutionListener listener = new TestNetworkTestExecutionListener();

    private static TestContext testContextOf(ApplicationContext context) {
        TestContext testContext = mock(TestContext.class);
        when(testContext.hasApplicationContext()).thenReturn(true);
        when(testContext.getApplicationContext()).thenReturn(context);
        return testContext;
    }

    @Test
    void neverLoadsAContext() {
        TestContext notLoaded = mock(TestContext.class);
        when(notLoaded.hasApplicationContext()).thenReturn(false);

        listener.beforeTestMethod(notLoaded);
        listener.afterTestMethod(notLoaded);

        verify(notLoaded, never()).getApplicationContext();
    }

    @Test
    void leavesAContextWithoutANetworkAlone() {
        new ApplicationContextRunner().run(context -> {
            listener.beforeTestMethod(testContextOf(context));
            listener.afterTestMethod(testContextOf(context));
            assertThat(context).hasNotFailed();
        });
    }

    @Test
    void closesTheMessengersATestStartedAndHealsTheNetworkAfterTheTest() {
        TestNetwork network = new TestNetwork();
        ReliableMessenger beforeTheTest = network.node("fixture").configure(config ->
                config.heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO)).start();
        new ApplicationContextRunner().withBean(TestNetwork.class, () -> network).run(context -> {
            TestContext testContext = testContextOf(context);
            listener.beforeTestMethod(testContext);
            ReliableMessenger ofTheTest = network.node("test").configure(config ->
                    config.heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO)).start();

            listener.afterTestMethod(testContext);

            assertThat(ofTheTest.isClosed()).isTrue();
            assertThat(beforeTheTest.isRunning()).isTrue();
        });
        network.close();
    }

    @Test
    void refusesARunningMessengerBeanThatIsNotOnTheNetworkNamingIt() {
        ReliableMessenger udp = ReliableMessenger.builder(MessengerConfig.builder().clientId(3).bindAddress("127.0.0.1")
                .heartbeatInterval(Duration.ZERO).closeTimeout(Duration.ZERO).build()).build();
        udp.start();
        try {
            new ApplicationContextRunner().withBean(TestNetwork.class, TestNetwork::new)
                    .withBean("udpMessenger", ReliableMessenger.class, () -> udp)
                    .run(context -> assertThatThrownBy(() -> listener.beforeTestMethod(testContextOf(context)))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("ReliableMessenger bean 'udpMessenger' runs on " + udp.localAddress()
                                    + ", not on the test network")
                            .hasMessageContaining("builder.transport(testNetwork::transportFor)"));
        } finally {
            udp.close();
        }
    }
}
