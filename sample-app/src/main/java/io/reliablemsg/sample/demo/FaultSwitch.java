package io.reliablemsg.sample.demo;

import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import io.reliablemsg.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DEMO FACILITY: makes this node's link flap on purpose, by wrapping its UDP transport in a
 * {@link FaultInjectingTransport} (drops datagrams in both directions). Exists only with
 * {@code sample.demo-controls.enabled=true}.
 */
public final class FaultSwitch {
    private volatile FaultInjectingTransport transport;
    private volatile long outageEndsNs;

    /** Wraps the messenger's UDP transport; called once, when the messenger starts. */
    Transport wrap(Transport udp) {
        FaultInjectingTransport created = new FaultInjectingTransport(udp, Clock.SYSTEM, System.nanoTime());
        transport = created;
        return created;
    }

    /** Drops each datagram with probability {@code loss} in [0, 1]; 0 stops dropping. */
    public void setLoss(double loss) {
        running().setLossRate(loss);
    }

    /** Drops every datagram for {@code seconds} from now. */
    public void startOutage(double seconds) {
        long durationNs = (long) (seconds * TimeUnit.SECONDS.toNanos(1));
        running().startOutage(durationNs);
        outageEndsNs = System.nanoTime() + durationNs;
    }

    /** No loss, no outage. */
    public void clear() {
        FaultInjectingTransport current = running();
        current.setLossRate(0);
        current.endOutage();
        outageEndsNs = 0;
    }

    /** Loss rate, milliseconds of outage left, datagrams dropped so far. */
    public Map<String, Object> state() {
        FaultInjectingTransport current = transport;
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("loss", current == null ? 0.0 : current.lossRate());
        boolean inOutage = current != null && current.inOutage();
        state.put("outageRemainingMillis", inOutage ? Math.max(0, (outageEndsNs - System.nanoTime()) / 1_000_000) : 0);
        state.put("dropped", current == null ? 0 : current.dropped());
        return state;
    }

    private FaultInjectingTransport running() {
        FaultInjectingTransport current = transport;
        if (current == null) {
            throw new IllegalStateException("the messenger has not started yet");
        }
        return current;
    }
}
