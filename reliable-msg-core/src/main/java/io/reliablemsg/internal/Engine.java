package io.reliablemsg.internal;

import io.reliablemsg.AckListener;
import io.reliablemsg.FailureReason;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.SendFailure;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import io.reliablemsg.receive.DuplicateWindow;
import io.reliablemsg.receive.SenderIncarnations;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.DecodeError;
import io.reliablemsg.wire.FrameAuthenticator;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The protocol: sender side (chain, retransmission, acks in) and receiver side (age check,
 * duplicate check, acks out), over datagrams that may bundle several frames. Owns no thread and
 * reads no clock: the I/O loop calls it with the time of its pass. Not thread-safe.
 */
public final class Engine implements FrameVisitor<PeerState>, RetransmitChain.Listener {
    private static final Logger LOG = System.getLogger(Engine.class.getName());

    /** Frees a message's place on the chain (reserved when {@code send} accepted it). */
    public interface SlotReleaser {
        void release(PeerState peer);
    }

    private final MessengerConfig config;
    private final int clientId;
    private final long incarnation;
    private final Transport transport;
    private final Callbacks callbacks;
    private final AckListener ackListener;
    private final SlotReleaser releaser;
    private final RetransmitChain chain;
    private final PeerState[] sendingPeers;
    private final Map<InetSocketAddress, PeerState> peersByAddress = new HashMap<>();
    private final List<PeerState> flushList = new ArrayList<>();
    /** Unknown sources accepted so far, readable from any thread (for stats). */
    final List<PeerState> unknownPeers = new CopyOnWriteArrayList<>();
    private final long intervalMillis;
    private final long skewMillis;
    private final int bundleSize;
    private final long halfIntervalNs;
    /** Heartbeat interval, or 0 when heartbeats are off. */
    private final long heartbeatNs;
    /** Silence after which a pinged peer is reported unreachable. */
    private final long heartbeatTimeoutNs;
    /** Per sending peer: no scan before this time, after a scan that used up its retransmit budget. */
    private final long[] throttledUntilNs;
    private final RateLimitedLog unknownSourceLog;
    private final RateLimitedLog staleAckLog;
    private final RateLimitedLog skewLog;
    private final RateLimitedLog malformedLog;

    final AtomicLong malformedDropped = new AtomicLong();
    final AtomicLong unknownSourceDropped = new AtomicLong();
    final AtomicLong transportSendDrops = new AtomicLong();
    final AtomicLong authenticationFailures = new AtomicLong();
    private final FrameAuthenticator authenticator;
    private final RateLimitedLog authenticationLog;
    final AtomicLong handlerErrors;

    // The time of the pass.
    private long nowNs;
    private long nowMillis;

    public Engine(MessengerConfig config, long incarnation, Transport transport, List<PeerState> sendingPeers,
                  Callbacks callbacks, AckListener ackListener, SlotReleaser releaser, AtomicLong handlerErrors) {
        this.config = config;
        this.clientId = config.clientId();
        this.incarnation = incarnation;
        this.transport = transport;
        this.callbacks = callbacks;
        this.ackListener = ackListener;
        this.releaser = releaser;
        this.handlerErrors = handlerErrors;
        this.sendingPeers = sendingPeers.toArray(new PeerState[0]);
        for (PeerState p : sendingPeers) {
            peersByAddress.put(p.address, p);
        }
        long intervalNs = config.interval().toNanos();
        this.chain = new RetransmitChain(config.maxStoredMessages(), sendingPeers.size(), intervalNs, config.maxRetries());
        this.intervalMillis = config.interval().toMillis();
        this.skewMillis = config.clockSkewAllowance().toMillis();
        this.bundleSize = config.bundleSize();
        this.halfIntervalNs = Math.max(1, intervalNs / 2);
        this.heartbeatNs = config.heartbeatInterval().toNanos();
        this.heartbeatTimeoutNs = heartbeatNs * (config.maxRetries() + 1L);
        this.throttledUntilNs = new long[sendingPeers.size()];
        Arrays.fill(throttledUntilNs, Long.MIN_VALUE);
        long logPeriodNs = 10_000_000_000L;
        this.unknownSourceLog = new RateLimitedLog(LOG, Level.WARNING, logPeriodNs);
        this.staleAckLog = new RateLimitedLog(LOG, Level.WARNING, logPeriodNs);
        this.skewLog = new RateLimitedLog(LOG, Level.WARNING, logPeriodNs);
        this.malformedLog = new RateLimitedLog(LOG, Level.WARNING, logPeriodNs);
        this.authenticationLog = new RateLimitedLog(LOG, Level.WARNING, logPeriodNs);
        this.authenticator = config.authenticated()
                ? new FrameAuthenticator(config.authenticationKeys(), config.sendKeyId()) : null;
    }

    /** Creates the state of a peer; the messenger builds the configured ones before the engine. */
    public static PeerState newPeer(MessengerConfig config, String name, InetSocketAddress address, int index) {
        // A window may be reused for another incarnation once quiet for two intervals plus the skew
        // allowance: no retransmission of its sender can still be in flight (docs/PROTOCOL.md gap 6).
        long quietNs = 2 * config.interval().toNanos() + config.clockSkewAllowance().toNanos();
        SenderIncarnations incarnations = new SenderIncarnations(config.maxSenderIncarnationsPerPeer(),
                config.duplicateWindow(), config.duplicateHoldTime().toNanos(), quietNs);
        return new PeerState(name, address, index, incarnations, config.maxDatagramSize(),
                config.peerClientIds().get(name));
    }

    /** Peers known now, configured and unknown sources (I/O loop or single-threaded use). */
    public int trackedPeers() {
        return peersByAddress.size();
    }

    /** Duplicate windows held now over all peers (I/O loop or single-threaded use). */
    public int trackedIncarnations() {
        int n = 0;
        for (PeerState p : peersByAddress.values()) {
            n += p.trackedIncarnations();
        }
        return n;
    }

    /** Messages on the chain now (not counting failures awaiting their callback). */
    public int chainSize() {
        return chain.size();
    }

    /** Earliest time a scan has work: a retransmit deadline, or the end of a peer's throttle. */
    public long nextDeadlineNs() {
        long earliest = Long.MAX_VALUE;
        for (PeerState peer : sendingPeers) {
            long due = Math.max(chain.nextDeadlineNs(peer.index), throttledUntilNs[peer.index]);
            if (heartbeatNs > 0) {
                due = Math.min(due, nextHeartbeatNs(peer));
            }
            if (due < earliest) {
                earliest = due;
            }
        }
        return earliest;
    }

    /** Hangs a newly accepted message on the chain and sends it (S3). */
    public void submit(PendingMessage m, long nowNs, long nowMillis) {
        PeerState peer = sendingPeers[m.peer];
        this.nowNs = nowNs;
        this.nowMillis = nowMillis;
        chain.add(m, nowNs);
        peer.sent.incrementAndGet();
        appendData(peer, m);
    }

    /** Handles one received datagram from {@code source}. */
    public void onDatagram(InetSocketAddress source, ByteBuffer datagram, long nowNs, long nowMillis) {
        PeerState peer = peersByAddress.get(source);
        if (peer == null) {
            peer = unknownSource(source, nowNs);
            if (peer == null) {
                return;
            }
        }
        if (authenticator != null) {
            FrameAuthenticator.Failure failure = authenticator.verify(datagram);
            if (failure != null) {
                authenticationFailures.incrementAndGet();
                peer.authenticationFailures.incrementAndGet();
                authenticationLog.log(nowNs, "dropped datagram from " + source + " (" + peer.name
                        + "): authentication failed: " + failure);
                return;
            }
        } else {
            FrameAuthenticator.stripUnverified(datagram);
        }
        if (peer.expectedClientId != null && datagram.remaining() >= WireFormat.HEADER_LENGTH
                && datagram.getInt(datagram.position() + WireFormat.CLIENT_ID_OFFSET) != peer.expectedClientId) {
            unknownSourceDropped.incrementAndGet();
            unknownSourceLog.log(nowNs, "dropped datagram from " + source + " (" + peer.name + "): client id "
                    + Integer.toUnsignedString(datagram.getInt(datagram.position() + WireFormat.CLIENT_ID_OFFSET))
                    + " is not the configured " + Integer.toUnsignedString(peer.expectedClientId));
            return;
        }
        this.nowNs = nowNs;
        this.nowMillis = nowMillis;
        DecodeError error = DatagramReader.read(datagram, peer, this);
        if (error == null) {
            peer.lastHeardNs = nowNs;
        } else {
            malformedDropped.incrementAndGet();
            peer.malformedDropped.incrementAndGet();
            malformedLog.log(nowNs, "dropped malformed datagram from " + source + ": " + error);
        }
    }

    /** Retransmits or fails what is due, within each peer's retransmit budget (S2, S4, S5). */
    public void runTimers(long nowNs, long nowMillis) {
        this.nowNs = nowNs;
        this.nowMillis = nowMillis;
        if (heartbeatNs > 0) {
            runHeartbeats(nowNs);
        }
        int budget = config.maxRetransmitsPerPeerPerScan();
        for (PeerState peer : sendingPeers) {
            int i = peer.index;
            if (chain.nextDeadlineNs(i) <= nowNs && throttledUntilNs[i] <= nowNs) {
                int retransmitted = chain.pollDue(i, nowNs, budget, this);
                // Budget used up: the rest waits for the next scan, half an interval on (storm brake).
                throttledUntilNs[i] = retransmitted == budget ? nowNs + halfIntervalNs : Long.MIN_VALUE;
            }
        }
    }

    /**
     * When {@code peer} next needs heartbeat work: a ping once it has been silent for an interval
     * (and the last ping is an interval old), or the unreachable verdict after the timeout.
     */
    private long nextHeartbeatNs(PeerState peer) {
        if (peer.lastHeardNs == Long.MIN_VALUE) {
            return Long.MIN_VALUE; // not started yet: the first timer pass starts the clocks
        }
        if (!peer.reachable) {
            return peer.lastPingNs + heartbeatNs; // keep probing until a pong or an ack proves the round trip
        }
        long ping = Math.max(peer.lastHeardNs, peer.lastPingNs) + heartbeatNs;
        return Math.min(ping, peer.lastHeardNs + heartbeatTimeoutNs);
    }

    /** Pings silent peers and reports the ones silent for too long (liveness while idle). */
    private void runHeartbeats(long nowNs) {
        for (PeerState peer : sendingPeers) {
            if (peer.lastHeardNs == Long.MIN_VALUE) { // first pass: the silence is counted from now
                peer.lastHeardNs = nowNs;
                peer.lastPingNs = nowNs;
                continue;
            }
            long silentNs = nowNs - peer.lastHeardNs;
            // An unreachable peer is pinged even when we hear from it: only a pong or an ack shows
            // that our datagrams reach it too.
            if ((silentNs >= heartbeatNs || !peer.reachable) && nowNs - peer.lastPingNs >= heartbeatNs) {
                DatagramWriter writer = prepare(peer, WireFormat.PING_LENGTH);
                writer.tryAppendPing(nowMillis, MessengerConfig.TRAILER_RESERVE_BYTES);
                afterAppend(peer);
                peer.lastPingNs = nowNs;
            }
            if (peer.reachable && silentNs >= heartbeatTimeoutNs) {
                peer.reachable = false;
                LOG.log(Level.WARNING, "peer " + peer.name + " (" + peer.address + ") looks unreachable: silent for "
                        + silentNs / 1_000_000 + " ms, " + (heartbeatTimeoutNs / heartbeatNs) + " pings unanswered");
            }
        }
    }

    /** Forgets duplicate windows that have been idle for longer than the hold time. */
    public void expireWindows(long nowNs) {
        for (PeerState peer : peersByAddress.values()) {
            peer.incarnations.expire(nowNs);
        }
    }

    /** Sends every datagram being bundled. */
    public void flush() {
        for (int i = 0; i < flushList.size(); i++) {
            PeerState peer = flushList.get(i);
            peer.queuedForFlush = false;
            sendDatagram(peer);
        }
        flushList.clear();
    }

    /** Fails everything on the chain with {@code reason} (the messenger is closing). */
    public void failAll(FailureReason reason) {
        chain.drain(m -> fail(m, reason));
    }

    /** Fails a message that was accepted but never reached the chain. */
    public void failUnsent(PendingMessage m, FailureReason reason) {
        fail(m, reason);
    }

    @Override
    public void onRetransmit(PendingMessage m) {
        PeerState peer = sendingPeers[m.peer];
        peer.retransmitted.incrementAndGet();
        appendData(peer, m);
    }

    @Override
    public void onExhausted(PendingMessage m) {
        PeerState peer = sendingPeers[m.peer];
        if (peer.reachable) {
            peer.reachable = false;
            LOG.log(Level.WARNING, "peer " + peer.name + " (" + peer.address + ") looks unreachable: message "
                    + m.msgId + " got no ack after " + m.transmissions() + " transmissions");
        }
        fail(m, FailureReason.RETRIES_EXHAUSTED);
    }

    @Override
    public void onData(PeerState peer, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis, int transmissions,
                       ByteBuffer datagram, int payloadOffset, int payloadLength) {
        long ageMillis = nowMillis - sendTimeMillis;
        if (ageMillis > intervalMillis + skewMillis) { // S6
            peer.staleMessagesDropped.incrementAndGet();
            return;
        }
        if (-ageMillis > skewMillis) {
            skewLog.log(nowNs, "message " + msgId + " from " + peer.name + " was sent " + (-ageMillis)
                    + " ms in the future: clocks differ by more than the skew allowance (" + skewMillis + " ms)");
        }
        DuplicateWindow window = peer.incarnations.window(senderClientId, senderIncarnation, nowNs);
        DuplicateWindow.Verdict verdict = window == null ? DuplicateWindow.Verdict.BELOW_WINDOW : window.check(msgId);
        switch (verdict) {
            case NEW -> {
                byte[] payload = new byte[payloadLength];
                datagram.get(payloadOffset, payload);
                InboundMessage message = new InboundMessage(peer.name, senderClientId, senderIncarnation, msgId,
                        sendTimeMillis, payload);
                if (!callbacks.offerDelivery(message)) {
                    peer.deliveryRejected.incrementAndGet(); // not acked: the sender will retransmit
                    return;
                }
                window.mark(msgId);
                peer.delivered.incrementAndGet();
                appendAck(peer, senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions);
            }
            case DUPLICATE -> { // S8: answered again, not delivered again
                peer.duplicates.incrementAndGet();
                appendAck(peer, senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions);
            }
            case BELOW_WINDOW -> peer.outsideWindowDropped.incrementAndGet();
        }
    }

    @Override
    public void onAck(PeerState peer, int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                      long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
        if (originClientId != clientId || originIncarnation != incarnation) {
            peer.unmatchedAcks.incrementAndGet(); // for an earlier incarnation of this process
            return;
        }
        estimateClockOffset(peer, echoedSendTimeMillis, ackTimeMillis);
        if (nowMillis - echoedSendTimeMillis > intervalMillis) { // S9, judged on our own clock
            peer.staleAcksDropped.incrementAndGet();
            staleAckLog.log(nowNs, "dropped ack from " + peer.name + " for message " + msgId + ": round trip "
                    + (nowMillis - echoedSendTimeMillis) + " ms exceeds the interval (" + intervalMillis
                    + " ms); if this persists, raise the interval");
            return;
        }
        PendingMessage m = chain.get(msgId);
        if (m == null || m.peer != peer.index) {
            peer.unmatchedAcks.incrementAndGet(); // already acked or failed, or not sent to this peer
            return;
        }
        chain.remove(m);
        peer.acked.incrementAndGet();
        markReachable(peer);
        releaser.release(peer);
        try {
            ackListener.onAcked(peer.name, msgId, nowNs - m.firstSendNs(), m.transmissions());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ack listener threw", e);
        }
    }

    @Override
    public void onPing(PeerState peer, int senderClientId, long senderIncarnation, long sendTimeMillis) {
        DatagramWriter writer = prepare(peer, WireFormat.PONG_LENGTH);
        writer.tryAppendPong(sendTimeMillis, nowMillis, MessengerConfig.TRAILER_RESERVE_BYTES);
        afterAppend(peer);
    }

    @Override
    public void onPong(PeerState peer, int senderClientId, long senderIncarnation, long echoedSendTimeMillis, long pongTimeMillis) {
        estimateClockOffset(peer, echoedSendTimeMillis, pongTimeMillis);
        markReachable(peer);
    }

    private void markReachable(PeerState peer) {
        if (!peer.reachable) {
            peer.reachable = true;
            LOG.log(Level.INFO, "peer " + peer.name + " (" + peer.address + ") is reachable again");
        }
    }

    /**
     * Skew detection: the peer stamped the ack at {@code ackTimeMillis} on its clock, between our
     * send ({@code echoedSendTimeMillis}) and now on ours, so its clock runs about
     * {@code ackTime - (echoedSendTime + now) / 2} ahead of ours, within half the round trip (as in
     * NTP). Smoothed, exposed per peer, and logged when it exceeds the skew allowance, before the
     * age check (S6) starts dropping that peer's messages on one side or the other.
     */
    private void estimateClockOffset(PeerState peer, long echoedSendTimeMillis, long ackTimeMillis) {
        long roundTripMillis = nowMillis - echoedSendTimeMillis;
        if (roundTripMillis < 0 || roundTripMillis > intervalMillis) {
            return; // not a usable sample
        }
        long sample = ackTimeMillis - (echoedSendTimeMillis + nowMillis) / 2;
        long previous = peer.clockOffsetMillis;
        long offset = previous == PeerState.NO_CLOCK_SAMPLE ? sample : previous + (sample - previous) / 8;
        peer.clockOffsetMillis = offset;
        if (Math.abs(offset) > skewMillis) {
            skewLog.log(nowNs, "clock of peer " + peer.name + " is about " + offset + " ms off ours (+/- "
                    + (roundTripMillis / 2 + 1) + " ms), beyond the skew allowance of " + skewMillis
                    + " ms: messages may be dropped as stale; synchronise the clocks (NTP) or raise the allowance");
        }
    }

    private void fail(PendingMessage m, FailureReason reason) {
        PeerState peer = sendingPeers[m.peer];
        peer.failed.incrementAndGet();
        if (reason == FailureReason.SHUTDOWN) {
            peer.failedAtShutdown.incrementAndGet();
        }
        callbacks.failure(new SendFailure(peer.name, m.msgId, m.userBuffer, m.transmissions(), reason),
                () -> releaser.release(peer));
    }

    private PeerState unknownSource(InetSocketAddress source, long nowNs) {
        if (!config.acceptUnknownPeers() || peersByAddress.size() - sendingPeers.length >= config.maxUnknownPeers()) {
            unknownSourceDropped.incrementAndGet();
            unknownSourceLog.log(nowNs, "dropped datagram from " + source + ", which is not a configured peer"
                    + (config.acceptUnknownPeers() ? " (unknown-peer table full)" : ""));
            return null;
        }
        PeerState peer = newPeer(config, source.getHostString() + ":" + source.getPort(), source, -1);
        peersByAddress.put(source, peer);
        unknownPeers.add(peer);
        return peer;
    }

    private void appendData(PeerState peer, PendingMessage m) {
        int frameBytes = WireFormat.DATA_HEADER_LENGTH + m.payload.length;
        DatagramWriter writer = prepare(peer, frameBytes);
        if (!writer.tryAppendData(m.msgId, nowMillis, m.transmissions(), m.payload,
                MessengerConfig.TRAILER_RESERVE_BYTES)) {
            throw new IllegalStateException("frame of " + frameBytes + " bytes does not fit an empty datagram");
        }
        afterAppend(peer);
    }

    private void appendAck(PeerState peer, int originClientId, long originIncarnation, long msgId,
                           long echoedSendTimeMillis, int transmissions) {
        DatagramWriter writer = prepare(peer, WireFormat.ACK_LENGTH);
        writer.tryAppendAck(originClientId, originIncarnation, msgId, echoedSendTimeMillis, nowMillis, // S7
                Math.max(1, transmissions), MessengerConfig.TRAILER_RESERVE_BYTES);
        afterAppend(peer);
    }

    /** The writer for {@code peer} with room for a frame of {@code frameBytes}, flushing first if needed. */
    private DatagramWriter prepare(PeerState peer, int frameBytes) {
        DatagramWriter writer = peer.writer();
        if (writer.frameCount() > 0 && writer.length() + frameBytes + MessengerConfig.TRAILER_RESERVE_BYTES > bundleSize) {
            sendDatagram(peer);
        }
        if (writer.frameCount() == 0) {
            writer.begin(clientId, incarnation, 0);
        }
        return writer;
    }

    private void afterAppend(PeerState peer) {
        if (bundleSize == 0) {
            sendDatagram(peer);
        } else if (!peer.queuedForFlush) {
            peer.queuedForFlush = true;
            flushList.add(peer);
        }
    }

    private void sendDatagram(PeerState peer) {
        DatagramWriter writer = peer.writer();
        if (writer.frameCount() == 0) {
            return;
        }
        ByteBuffer datagram = writer.finish();
        if (authenticator != null) {
            authenticator.sign(datagram);
        }
        if (!transport.send(peer.address, datagram)) {
            transportSendDrops.incrementAndGet(); // lost like any datagram: retransmission recovers it
        }
        writer.begin(clientId, incarnation, 0);
    }
}
