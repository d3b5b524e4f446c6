package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.FragmentAcks;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import io.reliablemsg.wire.WireFormat;

/**
 * The sender's part of fragmentation (docs/PROTOCOL.md, section 12): a message whose DATA frame would not fit
 * one datagram goes as FRAGMENT frames, to a peer that advertised {@link WireFormat#FEATURE_FRAGMENTS}. The
 * message stays one message on the chain (one id, one deadline, one retry count, one failure); each copy
 * sends the fragments the receiver has not acked yet, with a fresh send time (S4); the ordinary ACK of the
 * message id ends it. A fragment ack is judged like any ack (S9: dropped when its echoed send time is older
 * than the interval). When every fragment was acked but the message was not, the receiver lost its partial
 * message (it restarted): the next copy sends them all again. While the peer's capabilities are being found
 * out, a large message's copies are held (nothing larger than the path goes out). To a peer known not to read
 * fragments (an older release), a message goes whole, as revision 3 sent it, when it fits the largest UDP
 * datagram (IP fragments it); a larger one fails with {@code UNSUPPORTED_BY_PEER}.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Fragments {
    private final PeerFeatures features;
    private final RetransmitChain chain;
    private final int clientId;
    private final long incarnation;
    private final long intervalMillis;
    /** The largest DATA payload that fits one datagram. */
    private final int wholeFits;
    /** Data bytes per fragment. */
    private final int fragmentBytes;
    /** Where early copies of overtaken fragments go. */
    private final DataOut out;
    /** An ack of a fragment sent this many places later in a copy proves the earlier one lost. */
    static final int OVERTAKEN_BY = 3;
    /** Probes of the fragments still missing when the acks stop; null with fast retransmission off. */
    private final FragmentProbes probes;

    Fragments(MessengerConfig config, long incarnation, PeerFeatures features, RetransmitChain chain, DataOut out) {
        this.features = features;
        this.out = out;
        this.chain = chain;
        this.clientId = config.clientId();
        this.incarnation = incarnation;
        this.intervalMillis = config.interval().toMillis();
        int datagram = config.maxDatagramSize() == 0 ? WireFormat.MAX_UDP_PAYLOAD : config.maxDatagramSize();
        int room = datagram - WireFormat.HEADER_LENGTH - MessengerConfig.TRAILER_RESERVE_BYTES;
        this.wholeFits = room - WireFormat.DATA_HEADER_LENGTH;
        this.fragmentBytes = room - WireFormat.FRAGMENT_HEADER_LENGTH;
        this.probes = config.fastRetransmit() ? new FragmentProbes(config, chain, out) : null;
    }

    /** Earliest time {@link #runProbes} may have work, or {@link Long#MAX_VALUE}. */
    long nextProbeNs() {
        return probes == null ? Long.MAX_VALUE : probes.nextDeadlineNs();
    }

    /** Sends the probes of missing fragments due at {@code nowNs} ({@link FragmentProbes}). */
    void runProbes(long nowNs, long nowMillis) {
        if (probes != null) {
            probes.run(nowNs, nowMillis);
        }
    }

    /**
     * The pass that started at the {@code nowNs} it gave ended at {@code endNs}: the probe delays it started count
     * from then. Only when {@link #passEndMatters()}.
     */
    void passEnded(long endNs) {
        probes.passEnded(endNs);
    }

    /** Whether this pass started probe delays, which {@link #passEnded} should move to the pass's end. */
    boolean passEndMatters() {
        return probes != null && probes.passEndMatters();
    }

    /** Whether {@code m} is larger than one datagram. */
    boolean large(PendingMessage m) {
        return m.payload().length > wholeFits;
    }

    /** Whether {@code m} can never reach {@code peer}: too large to go whole, and the peer reads no fragments. */
    boolean refused(PeerSendState peer, PendingMessage m) {
        return m.payload().length > MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE && features.settled(peer.capabilities)
                && !features.reads(peer.capabilities, WireFormat.FEATURE_FRAGMENTS);
    }

    /** Puts a copy of message {@code m} (not a request) for {@code peer} on {@code to} at {@code nowNs}. */
    void send(PeerSendState peer, PendingMessage m, PeerOutbox to, DataOut out, long nowNs, long nowMillis) {
        if (!large(m)) {
            out.data(to, m, nowMillis);
        } else if (features.reads(peer.capabilities, WireFormat.FEATURE_FRAGMENTS)) {
            sendFragments(peer, m, to, out, nowNs, nowMillis);
        } else if (features.settled(peer.capabilities) && m.payload().length <= MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE) {
            out.data(to, m, nowMillis); // to an older release, as revision 3 sends it: one datagram, which IP fragments
        }
        // else held: while the peer's capabilities are being found out nothing larger than the path goes out
        // (the copy counts as a transmission, like a held request's); refused() fails it if it can never go
    }

    private void sendFragments(PeerSendState peer, PendingMessage m, PeerOutbox to, DataOut out, long nowNs,
                               long nowMillis) {
        FragmentAcks acks = m.fragments();
        if (acks == null) {
            acks = new FragmentAcks((m.payload().length + fragmentBytes - 1) / fragmentBytes, fragmentBytes);
            m.fragments(acks);
        } else if (acks.ackedCount() == acks.count()) {
            acks.clear(); // every fragment acked, the message not: the receiver lost its partial message
        }
        acks.newCopy(nowMillis);
        if (probes != null) {
            probes.onCopy(peer, m, nowNs);
        }
        int sent = 0;
        for (int i = 0; i < acks.count(); i++) {
            if (!acks.acked(i)) {
                out.fragment(to, m, i, nowMillis);
                sent++;
            }
        }
        peer.fragmentsSent.addAndGet(sent);
        if (m.transmissions() > 1) {
            peer.fragmentsRetransmitted.addAndGet(sent);
        }
    }

    /**
     * A FRAGMENT_ACK from {@code peer}'s incarnation {@code ackerIncarnation} for fragment {@code index} of
     * message {@code originClientId}/{@code originIncarnation}/{@code msgId}: marks the fragment when the ack is
     * ours, fresh and news, sends again what it overtook, and schedules the message's probe.
     */
    void onAck(PeerSendState peer, PeerOutbox via, long ackerIncarnation, int originClientId,
               long originIncarnation, long msgId, long echoedSendTimeMillis, int index, long nowNs, long nowMillis) {
        if (originClientId != clientId || originIncarnation != incarnation) {
            peer.unmatchedAcks.incrementAndGet();
            return;
        }
        if (nowMillis - echoedSendTimeMillis > intervalMillis) { // S9, on our own clock
            peer.staleAcksDropped.incrementAndGet();
            return;
        }
        PendingMessage m = chain.get(msgId);
        if (m == null || m.peer() != peer.index || m.fragments() == null
                || !m.fragments().ack(index, ackerIncarnation)) {
            peer.unmatchedAcks.incrementAndGet(); // the message was acked, or this fragment already
            return;
        }
        m.fragments().sampleRoundTrip(echoedSendTimeMillis, nowMillis);
        // fragments sent well before this one in the copy and still unacked are taken as lost: sent again at once,
        // once per copy, the way the ack came back (TCP's duplicate-ack threshold, applied to fragment indexes)
        for (int lost = m.fragments().ofThisCopy(echoedSendTimeMillis) ? m.fragments().nextOverdue(index, OVERTAKEN_BY)
                : -1; lost >= 0; lost = m.fragments().nextOverdue(index, OVERTAKEN_BY)) {
            out.fragment(via, m, lost, nowMillis);
            peer.fragmentsSent.incrementAndGet();
            peer.fragmentsRetransmitted.incrementAndGet();
        }
        if (probes != null) {
            probes.onAcked(peer, m, nowNs);
        }
    }
}
