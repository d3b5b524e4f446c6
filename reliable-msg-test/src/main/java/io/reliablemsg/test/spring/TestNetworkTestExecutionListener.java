package io.reliablemsg.test.spring;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.test.TestNetwork;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * For a test whose context has a {@link TestNetwork} bean: before each test method, checks that every
 * running {@code ReliableMessenger} bean is on it (so that a messenger the application builds itself
 * does not quietly use UDP) and marks the test's start; after it, switches the network's faults and
 * partitions off and closes the messengers the test started on it ({@link TestNetwork#endTest()}), so
 * that a context cached for the next test class starts clean. Does nothing for other contexts, and
 * never loads a context. Registered in {@code META-INF/spring.factories}.
 */
public final class TestNetworkTestExecutionListener implements TestExecutionListener, Ordered {
    /**
     * After dependency injection (2000) and the dirties-context listener (3000), so that its
     * {@code afterTestMethod} runs before a context is closed after the method.
     */
    public static final int ORDER = 3500;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        TestNetwork network = network(testContext);
        if (network != null) {
            requireEveryMessengerOn(network, testContext.getApplicationContext());
            network.beginTest();
        }
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        TestNetwork network = network(testContext);
        if (network != null) {
            network.endTest();
        }
    }

    private static TestNetwork network(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return null;
        }
        return testContext.getApplicationContext().getBeanProvider(TestNetwork.class).getIfUnique();
    }

    private static void requireEveryMessengerOn(TestNetwork network, ApplicationContext context) {
        for (Map.Entry<String, ReliableMessenger> bean : context.getBeansOfType(ReliableMessenger.class, false, false)
                .entrySet()) {
            ReliableMessenger messenger = bean.getValue();
            if (messenger.isRunning() && !network.carries(messenger)) {
                throw new IllegalStateException("ReliableMessenger bean '" + bean.getKey() + "' runs on "
                        + messenger.localAddress() + ", not on the test network: a messenger the application builds "
                        + "itself needs builder.transport(testNetwork::transportFor), and no customizer may set a "
                        + "transport after the test network's");
            }
        }
    }
}
