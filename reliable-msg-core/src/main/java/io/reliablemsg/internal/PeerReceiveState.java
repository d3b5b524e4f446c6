package io.reliablemsg.internal;

import io.reliablemsg.PeerStats;
import io.reliablemsg.receive.SenderIncarnations;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver side of one peer: the duplicate windows of its sender incarnations and its counters.
 * Written by the I/O loop; counters read by any thread. The windows are replaced only when a peer
 * removed a moment ago is added again under its name: it gets back the windows it had (the loop
 * keeps them for the hold time), so that nothing it retransmits is delivered twice.
 */
final class PeerReceiveState {
    final String name;
    /** The duplicate windows (I/O loop only). */
    SenderIncarnations incarnations;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong staleMessagesDropped = new AtomicLong();
    final AtomicLong outsideWindowDropped = new AtomicLong();
    final AtomicLong deliveryRejected = new AtomicLong();
    final AtomicLong requestsHandled = new AtomicLong();
    final AtomicLong repliesSent = new AtomicLong();
    final AtomicLong reassemblyRefusals = new AtomicLong();
    final AtomicLong fragmentsDropped = new AtomicLong();
    /** Trace contexts sent ahead of messages not delivered yet; null until the peer sent one (I/O loop only). */
    InboundTraces traces;

    PeerReceiveState(String name, SenderIncarnations incarnations) {
        this.name = name;
        this.incarnations = incarnations;
    }

    void addTo(PeerStats.Builder stats) {
        stats.delivered(delivered.get()).duplicates(duplicates.get()).staleMessagesDropped(staleMessagesDropped.get())
                .outsideWindowDropped(outsideWindowDropped.get()).deliveryRejected(deliveryRejected.get())
                .requestsHandled(requestsHandled.get()).repliesSent(repliesSent.get())
                .reassemblyRefusals(reassemblyRefusals.get()).fragmentsDropped(fragmentsDropped.get());
    }
}
