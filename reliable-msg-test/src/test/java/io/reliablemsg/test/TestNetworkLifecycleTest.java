package io.reliablemsg.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.ReliableMessenger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@link TestNetwork#beginTest()}, {@link TestNetwork#endTest()} and {@link TestNetwork#close()} close. */
class TestNetworkLifecycleTest {
    private static ReliableMessenger start(TestNetwork network, String name) {
        return network.node(name).configure(config -> config.heartbeatInterval(Duration.ZERO)
                .closeTimeout(Duration.ZERO)).start();
    }

    @Test
    void endTestClosesOnlyWhatWasStartedSinceBeginTestLatestFirst() {
        try (TestNetwork network = new TestNetwork()) {
            ReliableMessenger before = start(network, "before");
            network.beginTest();
            ReliableMessenger during = start(network, "during");
            ReliableMessenger alsoDuring = start(network, "also-during");

            network.endTest();

            assertThat(during.isClosed()).isTrue();
            assertThat(alsoDuring.isClosed()).isTrue();
            assertThat(before.isRunning()).isTrue();
            assertThat(network.carries(before)).isTrue();
            network.close();
            assertThat(before.isClosed()).isTrue();
        }
    }

    @Test
    void endTestWithoutBeginTestClosesEverything() {
        try (TestNetwork network = new TestNetwork()) {
            ReliableMessenger messenger = start(network, "alone");

            network.endTest();

            assertThat(messenger.isClosed()).isTrue();
        }
    }

    @Test
    void aClosedMessengerFreesItsAddressOnTheNetwork() {
        try (TestNetwork network = new TestNetwork()) {
            ReliableMessenger messenger = start(network, "alone");
            network.close();

            assertThat(network.carries(messenger)).isFalse();
            assertThat(start(network, "alone").localAddress()).isEqualTo(messenger.localAddress());
        }
    }

    @Test
    void aSecondMessengerAtTheSameAddressIsRefusedAtStart() {
        try (TestNetwork network = new TestNetwork()) {
            start(network, "alone");

            assertThatThrownBy(() -> start(network, "alone")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use on this test network");
        }
    }

    @Test
    void aNameWithSeveralAddressesMustBeGivenOneToStart() {
        try (TestNetwork network = new TestNetwork()) {
            start(network, "a");
            network.node("b").peer("multi", network.address("x")).start();
            network.node("c").peer("multi", network.address("y")).start();

            assertThatThrownBy(() -> network.address("multi")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node 'multi' has several addresses");
            assertThat(network.node("multi").at(network.address("x")).start().localAddress())
                    .isEqualTo(network.address("x"));
        }
    }
}
