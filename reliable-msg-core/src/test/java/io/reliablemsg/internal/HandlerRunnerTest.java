package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.RequestHandler;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Running handlers, with the callback queue played by the test: a full queue refuses the handling (the
 * responder then leaves the copy unacked); a reply of exactly {@code maxReplySize} bytes is a reply, one
 * byte more is a failure counted as a handler error; a node without a request handler succeeds with no
 * reply, so the request is answered "no reply" rather than run again.
 */
class HandlerRunnerTest {
    private static final int MAX_REPLY = 8;

    private final Queue<Runnable> queued = new ArrayDeque<>();
    private boolean queueFull;
    private final CallbackTasks callbacks = new CallbackTasks() {
        @Override
        public boolean offerDelivery(String peer, Runnable delivery) {
            return !queueFull && queued.add(delivery);
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    };
    private final HandlerCompletions completions = new HandlerCompletions();
    private final AtomicLong errors = new AtomicLong();
    private final PeerReceiveState peer = new PeerReceiveState("b", new SenderIncarnations(4, 1024, 1_000, 1_000));

    private Handling request(long msgId) {
        return new Handling(peer, new InboundMessage("b", 2, 77, msgId, 0, new byte[] {1}), true,
                new PeerOutbox(new InetSocketAddress("10.0.0.2", 7000), 1472), 1, null);
    }

    private HandlerRunner runner(RequestHandler requests) {
        return new HandlerRunner(m -> { }, requests, null, callbacks, completions, errors, MAX_REPLY);
    }

    private Handling runQueued() {
        queued.poll().run();
        return completions.poll();
    }

    @Test
    void aFullCallbackQueueRefusesTheHandling() {
        HandlerRunner runner = runner(r -> new byte[1]);
        queueFull = true;
        assertThat(runner.offer(request(1))).isFalse();
        assertThat(queued).isEmpty();

        queueFull = false;
        assertThat(runner.offer(request(1))).isTrue();
        assertThat(queued).hasSize(1);
    }

    @Test
    void aReplyOfExactlyTheMaximumSizeIsAReplyAndOneByteMoreIsAHandlerError() {
        HandlerRunner runner = runner(r -> new byte[(int) r.msgId()]);
        runner.offer(request(MAX_REPLY));
        Handling fits = runQueued();
        assertThat(fits.success()).isTrue();
        assertThat(fits.reply()).hasSize(MAX_REPLY);

        runner.offer(request(MAX_REPLY + 1));
        Handling tooLarge = runQueued();
        assertThat(tooLarge.success()).isFalse();
        assertThat(tooLarge.reply()).isNull();
        assertThat(errors.get()).isOne();
    }

    @Test
    void withoutARequestHandlerARequestSucceedsWithNoReply() {
        HandlerRunner runner = new HandlerRunner(m -> { }, null, null, callbacks, completions, errors, MAX_REPLY);
        runner.offer(request(1));

        Handling done = runQueued();

        assertThat(done.success()).as("answered no reply, not run again").isTrue();
        assertThat(done.reply()).isNull();
        assertThat(errors.get()).isZero();
    }
}
