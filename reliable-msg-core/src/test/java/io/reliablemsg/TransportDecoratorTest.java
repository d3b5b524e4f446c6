package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.transport.ForwardingTransport;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The transport decorator hook wraps the real UDP socket, whatever opened it. Real UDP on 127.0.0.1. */
class TransportDecoratorTest {
    @Test
    void theTransportDecoratorWrapsTheRealSocket() throws Exception {
        AtomicInteger dataDatagramsSent = new AtomicInteger();
        try (ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).build()).build()) {
            receiver.start();
            MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1")
                    .peer("r", "127.0.0.1", receiver.localAddress().getPort()).build();
            try (ReliableMessenger sender = ReliableMessenger.builder(config)
                    .transportDecorator(udp -> new CountingTransport(udp, dataDatagramsSent)).build()) {
                sender.start();
                assertThat(sender.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
                assertThat(sender.send("r", new byte[] {1}, null)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.stats().acked() == 1);
                assertThat(dataDatagramsSent.get()).as("the message, once, through the decorator").isEqualTo(1);
            }
        }
    }

    /** Counts the DATA datagrams sent through the real transport it wraps. */
    private static final class CountingTransport extends ForwardingTransport {
        private final AtomicInteger dataSent;

        CountingTransport(Transport delegate, AtomicInteger dataSent) {
            super(delegate);
            this.dataSent = dataSent;
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            if (datagram.get(datagram.position() + WireFormat.HEADER_LENGTH) == WireFormat.TYPE_DATA) {
                dataSent.incrementAndGet();
            }
            return delegate.send(target, datagram);
        }
    }
}
