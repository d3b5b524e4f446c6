package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The inbound view handler on a running messenger: real UDP on 127.0.0.1, messages read in place on the
 * I/O loop thread, acked; refused at build time where it cannot work.
 */
class InboundViewHandlerTest {
    @Test
    void messagesAreReadInPlaceOnTheLoopAndAcked() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).inlineCallbacks(true).build())
                .inboundHandler(m -> seen.add("copy " + m.msgId()))
                .inboundViewHandler(view -> {
                    seen.add(view.msgId() + ":" + new String(view.copyPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    threads.add(Thread.currentThread().getName());
                }).build()) {
            receiver.start();
            try (ReliableMessenger sender = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                    .bindAddress("127.0.0.1").peer("r", "127.0.0.1", receiver.localAddress().getPort()).build())
                    .build()) {
                sender.start();
                for (String text : List.of("one", "two", "three")) {
                    assertThat(sender.send("r", text.getBytes(java.nio.charset.StandardCharsets.UTF_8), null)).isTrue();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.stats().acked() == 3);
            }
            assertThat(seen).containsExactlyInAnyOrder("1:one", "2:two", "3:three");
            assertThat(threads).allMatch(name -> name.startsWith("reliable-msg-io-"));
            assertThat(receiver.stats().delivered()).isEqualTo(3);
        }
    }

    @Test
    void aViewHandlerNeedsInlineCallbacksAndAcksOnReceipt() {
        MessengerConfig queued = MessengerConfig.builder().clientId(1).build();
        assertThatIllegalArgumentException().isThrownBy(() -> ReliableMessenger.builder(queued)
                        .inboundViewHandler(view -> { }).build())
                .withMessageContaining("needs inlineCallbacks(true) and ackMode ON_RECEIPT")
                .withMessageContaining("inlineCallbacks is false");
        MessengerConfig afterHandler = MessengerConfig.builder().clientId(1).inlineCallbacks(true)
                .ackMode(AckMode.AFTER_HANDLER).build();
        assertThatIllegalArgumentException().isThrownBy(() -> ReliableMessenger.builder(afterHandler)
                .inboundViewHandler(view -> { }).build()).withMessageContaining("ackMode AFTER_HANDLER");
    }
}
