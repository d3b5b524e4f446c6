package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DecodeError;
import io.reliablemsg.wire.FrameAuthenticator;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate every received datagram passes: finds the peer it comes from (accepting an unknown source
 * only when configured to), verifies its authentication trailer when keys are configured, checks a
 * pinned client id, validates the whole datagram, and only then hands each frame to its role: DATA
 * and REQUEST to the {@link Receiver}, ACK and REPLY to the {@link Sender}, PING and PONG to {@link Liveness}, CAPABILITIES
 * (and the incarnation of every datagram) to {@link Capabilities}. A datagram
 * refused at any step changes no protocol state and is counted (and logged, rate-limited) by reason.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Admission implements FrameVisitor<Admission.Arrival> {
    private static final Logger LOG = System.getLogger(Admission.class.getName());
    private static final long LOG_PERIOD_NS = 10_000_000_000L;

    /** One datagram being read: where it came from and when; handed along with each frame. */
    static final class Arrival {
        Peer peer;
        /** The path (peer address) it came from: replies go back the same way. */
        PeerPath path;
        long nowNs;
        long nowMillis;
    }

    private final PeerTable peers;
    private final FrameAuthenticator authenticator;
    private final Receiver receiver;
    private final FragmentReceiver fragments;
    private final Sender sender;
    private final Liveness liveness;
    private final Capabilities capabilities;
    private final boolean acceptUnknownPeers;
    /** Reused for every datagram: the loop reads one datagram at a time. */
    private final Arrival arrival = new Arrival();
    private final RateLimitedLog unknownSourceLog = new RateLimitedLog(LOG, Level.WARNING, LOG_PERIOD_NS);
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG, Level.WARNING, LOG_PERIOD_NS);
    private final RateLimitedLog authenticationLog = new RateLimitedLog(LOG, Level.WARNING, LOG_PERIOD_NS);
    private final RateLimitedLog clientIdLog = new RateLimitedLog(LOG, Level.WARNING, LOG_PERIOD_NS);
    /** Which configured peer's datagrams carried each client id first. */
    private final Map<Integer, Peer> peerByClientId = new HashMap<>();
    final AtomicLong malformedDropped = new AtomicLong();
    final AtomicLong unknownSourceDropped = new AtomicLong();
    final AtomicLong authenticationFailures = new AtomicLong();
    final AtomicLong clientIdConflicts = new AtomicLong();

    /** Admission for {@code peers}; {@code authenticator} is null when datagrams are not authenticated. */
    Admission(MessengerConfig config, PeerTable peers, FrameAuthenticator authenticator, Receiver receiver,
              FragmentReceiver fragments, Sender sender, Liveness liveness, Capabilities capabilities) {
        this.peers = peers;
        this.authenticator = authenticator;
        this.receiver = receiver;
        this.fragments = fragments;
        this.sender = sender;
        this.liveness = liveness;
        this.capabilities = capabilities;
        this.acceptUnknownPeers = config.acceptUnknownPeers();
    }

    /** Forgets {@code peer}, which was removed: another peer may carry its client id from now on. */
    void forget(Peer peer) {
        peerByClientId.values().removeIf(p -> p == peer);
    }

    /** Handles one datagram received from {@code source}. */
    void onDatagram(InetSocketAddress source, ByteBuffer datagram, long nowNs, long nowMillis) {
        Peer peer = peers.find(source);
        if (peer == null) {
            peer = peers.admitUnknown(source);
            if (peer == null) {
                unknownSourceDropped.incrementAndGet();
                unknownSourceLog.log(nowNs, "dropped datagram from " + source + ", which is not a configured peer"
                        + (acceptUnknownPeers ? " (unknown-peer table full)" : ""));
                return;
            }
        }
        if (!authentic(peer, source, datagram, nowNs) || !fromExpectedClient(peer, source, datagram, nowNs)) {
            return;
        }
        arrival.peer = peer;
        arrival.path = peer.paths.at(source);
        arrival.nowNs = nowNs;
        arrival.nowMillis = nowMillis;
        DecodeError error = DatagramReader.read(datagram, arrival, this);
        sender.afterAcks(peer.send, nowNs, nowMillis); // early copies once every ack of the datagram is in
        arrival.peer = null;
        arrival.path = null;
        if (error == null) {
            checkClientIdUnique(peer, source, datagram.getInt(datagram.position() + WireFormat.CLIENT_ID_OFFSET), nowNs);
            liveness.onHeard(peer.liveness, nowNs);
            capabilities.onHeard(peer.capabilities,
                    datagram.getLong(datagram.position() + WireFormat.INCARNATION_OFFSET));
        } else {
            malformedDropped.incrementAndGet();
            peer.malformedDropped.incrementAndGet();
            malformedLog.log(nowNs, "dropped malformed datagram from " + source + ": " + error);
        }
    }

    /**
     * Two configured peers (not two paths of one) whose datagrams carry the same client id are two
     * processes configured with one id: counted per datagram and logged (rate-limited). Processed as
     * usual: their duplicate windows are separate, so nothing is lost, but their ids are ambiguous in
     * every log and trace. The map is consulted only when a peer's client id changes.
     */
    private void checkClientIdUnique(Peer peer, InetSocketAddress source, int clientId, long nowNs) {
        if (peer.index < 0) {
            return; // an unknown source: it may be a configured peer's new address
        }
        if (!peer.clientIdSeen || peer.seenClientId != clientId) {
            peer.clientIdSeen = true;
            peer.seenClientId = clientId;
            Peer first = peerByClientId.putIfAbsent(clientId, peer);
            peer.clientIdShared = first != null && first != peer;
        }
        if (peer.clientIdShared) {
            clientIdConflicts.incrementAndGet();
            clientIdLog.log(nowNs, "datagrams from " + source + " (" + peer.name + ") carry client id "
                    + Integer.toUnsignedString(clientId) + ", which " + peerByClientId.get(clientId).name
                    + " uses too: two processes are configured with the same reliable-msg client id");
        }
    }

    private boolean authentic(Peer peer, InetSocketAddress source, ByteBuffer datagram, long nowNs) {
        if (authenticator == null) {
            FrameAuthenticator.stripUnverified(datagram);
            return true;
        }
        FrameAuthenticator.Failure failure = authenticator.verify(datagram);
        if (failure == null) {
            return true;
        }
        authenticationFailures.incrementAndGet();
        peer.authenticationFailures.incrementAndGet();
        authenticationLog.log(nowNs, "dropped datagram from " + source + " (" + peer.name
                + "): authentication failed: " + failure);
        return false;
    }

    private boolean fromExpectedClient(Peer peer, InetSocketAddress source, ByteBuffer datagram, long nowNs) {
        if (peer.expectedClientId == null || datagram.remaining() < WireFormat.HEADER_LENGTH) {
            return true; // a short datagram fails validation next
        }
        int clientId = datagram.getInt(datagram.position() + WireFormat.CLIENT_ID_OFFSET);
        if (clientId == peer.expectedClientId) {
            return true;
        }
        unknownSourceDropped.incrementAndGet();
        unknownSourceLog.log(nowNs, "dropped datagram from " + source + " (" + peer.name + "): client id "
                + Integer.toUnsignedString(clientId) + " is not the configured "
                + Integer.toUnsignedString(peer.expectedClientId));
        return false;
    }

    @Override
    public void onData(Arrival a, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                       int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
        receiver.onData(a.peer.receive, a.path.outbox, senderClientId, senderIncarnation, msgId, sendTimeMillis,
                transmissions, datagram, payloadOffset, payloadLength, a.nowNs, a.nowMillis);
    }

    @Override
    public void onAck(Arrival a, int senderClientId, long senderIncarnation, int originClientId,
                      long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                      int transmissions) {
        sender.onAck(a.peer.send, a.path, originClientId, originIncarnation, msgId, echoedSendTimeMillis,
                ackTimeMillis, a.nowNs, a.nowMillis);
    }

    @Override
    public void onRequest(Arrival a, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                          int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
        receiver.onRequest(a.peer.receive, a.path.outbox, senderClientId, senderIncarnation, msgId, sendTimeMillis,
                transmissions, datagram, payloadOffset, payloadLength, a.nowNs, a.nowMillis);
    }

    @Override
    public void onReply(Arrival a, int senderClientId, long senderIncarnation, int originClientId,
                        long originIncarnation, long msgId, long echoedSendTimeMillis, long replyTimeMillis,
                        boolean noReply, ByteBuffer datagram, int replyOffset, int replyLength) {
        sender.onReply(a.peer.send, a.path, originClientId, originIncarnation, msgId, echoedSendTimeMillis, noReply,
                datagram, replyOffset, replyLength, a.nowNs, a.nowMillis);
    }

    @Override
    public void onFragment(Arrival a, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                           int transmissions, int messageLength, int index, int count, int messageOffset,
                           ByteBuffer datagram, int dataOffset, int dataLength) {
        fragments.onFragment(a.peer.receive, a.path.outbox, senderClientId, senderIncarnation, msgId, sendTimeMillis,
                transmissions, messageLength, index, count, messageOffset, datagram, dataOffset, dataLength, a.nowNs,
                a.nowMillis);
    }

    @Override
    public void onFragmentAck(Arrival a, int senderClientId, long senderIncarnation, int originClientId,
                              long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                              int index) {
        sender.fragments().onAck(a.peer.send, a.path.outbox, senderIncarnation, originClientId, originIncarnation,
                msgId, echoedSendTimeMillis, index, a.nowNs, a.nowMillis);
    }

    @Override
    public void onTraceContext(Arrival a, int senderClientId, long senderIncarnation, long msgId, int version,
                               int flags, long traceIdHigh, long traceIdLow, long parentSpanId, ByteBuffer datagram,
                               int traceStateOffset, int traceStateLength) {
        InboundTraces.keep(a.peer.receive, senderIncarnation, msgId, flags, traceIdHigh, traceIdLow, parentSpanId,
                datagram, traceStateOffset, traceStateLength);
    }

    @Override
    public void onPing(Arrival a, int senderClientId, long senderIncarnation, long sendTimeMillis) {
        liveness.onPing(a.path.outbox, sendTimeMillis, a.nowMillis);
    }

    @Override
    public void onPong(Arrival a, int senderClientId, long senderIncarnation, long echoedSendTimeMillis,
                       long pongTimeMillis) {
        liveness.onPong(a.peer.liveness, a.path, echoedSendTimeMillis, pongTimeMillis, a.nowNs, a.nowMillis);
    }

    @Override
    public void onCapabilities(Arrival a, int senderClientId, long senderIncarnation, int revision, long features,
                               boolean answerRequested) {
        capabilities.onCapabilities(a.peer.capabilities, a.path.outbox, senderIncarnation, revision, features, answerRequested);
    }

    @Override
    public void onUnknownOptionalFrame(Arrival a, int senderClientId, long senderIncarnation, int type,
                                       int bodyLength) {
        capabilities.onUnknownOptionalFrame(a.peer.capabilities);
    }
}
