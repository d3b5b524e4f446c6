package io.reliablemsg.test.spring;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMessengerBuilderCustomizer;
import io.reliablemsg.test.TestNetwork;
import org.springframework.core.Ordered;

/**
 * Sets the starter's messenger's transport to the {@link TestNetwork}. Ordered last, so that it wins over
 * a customizer of the application that sets a transport; decorators the application adds
 * ({@code transportDecorator}) still wrap it.
 */
final class TestNetworkTransport implements ReliableMessengerBuilderCustomizer, Ordered {
    private final TestNetwork network;

    TestNetworkTransport(TestNetwork network) {
        this.network = network;
    }

    @Override
    public void customize(ReliableMessenger.Builder builder) {
        builder.transport(network::transportFor);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
