package io.reliablemsg;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The responding process of {@link TwoProcessRequestReplyTest}: binds 127.0.0.1 on a free port, prints
 * {@code PORT n}, answers every request with {@code reply:} and its payload, counting the handler's runs
 * and the distinct requests it saw; on each {@code REPORT} line on its standard input prints
 * {@code HANDLED runs=R distinct=D}; exits when its input ends (or after 120 s).
 */
public final class ResponderProcess {
    private ResponderProcess() {
    }

    public static void main(String[] args) throws Exception {
        int requesterPort = Integer.parseInt(args[0]);
        AtomicLong runs = new AtomicLong();
        Set<Long> distinct = ConcurrentHashMap.newKeySet();
        MessengerConfig config = MessengerConfig.builder().clientId(2).bindAddress("127.0.0.1").port(0)
                .peer("requester", "127.0.0.1", requesterPort).interval(Duration.ofMillis(50)).maxRetries(30)
                .heartbeatInterval(Duration.ZERO).build();
        try (ReliableMessenger messenger = ReliableMessenger.builder(config).requestHandler(request -> {
            runs.incrementAndGet();
            distinct.add(request.msgId());
            return ("reply:" + new String(request.payload(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }).build()) {
            messenger.start();
            System.out.println("PORT " + messenger.localAddress().getPort());
            System.out.flush();
            new java.util.Timer("responder-watchdog", true).schedule(new java.util.TimerTask() {
                @Override
                public void run() {
                    System.exit(2); // the test died without closing our input: halt after 2 minutes at most
                }
            }, 120_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("REPORT")) {
                    System.out.println("HANDLED runs=" + runs.get() + " distinct=" + distinct.size());
                    System.out.flush();
                }
            }
        }
    }
}
