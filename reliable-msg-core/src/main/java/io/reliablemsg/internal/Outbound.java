package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.TraceContext;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.TracedMessage;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.FrameAuthenticator;
import io.reliablemsg.wire.WireFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns frames into datagrams: bundles the frames ready for one peer within a pass into datagrams
 * of at most {@code bundleSize} bytes (or sends each frame at once when bundling is off), signs
 * them when authentication is on, and hands them to the transport. A datagram the transport
 * refuses is counted and left to retransmission, like a datagram lost on the way. The only protocol
 * role that writes to the transport. A CAPABILITIES frame always goes in a datagram of its own (a
 * version 1 peer drops the whole datagram that holds it). A traced message's TRACE_CONTEXT goes just before
 * its frame, in the same datagram unless that would make it larger than the path's. Memory: each path bundles in a writer of
 * the bundle size, made when it first has a frame; a frame that goes alone (bundling off, larger than
 * a bundle, CAPABILITIES) is written in the one writer of {@code maxDatagramSize} and sent at once,
 * so a thousand peers cost a thousand small buffers, not a thousand datagrams of 64 KiB. Not
 * thread-safe: I/O loop only.
 */
final class Outbound implements DataOut, AckOut, ProbeOut, CapabilitiesOut, ReplyOut {
    private static final int RESERVE = MessengerConfig.TRAILER_RESERVE_BYTES;

    private final int clientId;
    private final long incarnation;
    private final int bundleSize;
    private final long intervalNs;
    /** The largest datagram to the peers: a trace context never makes one larger (docs/PROTOCOL.md). */
    private final int datagramSize;
    private final Transport transport;
    private final FrameAuthenticator authenticator;
    private final List<PeerOutbox> flushList = new ArrayList<>();
    /** For frames that go out alone at once: bundling off, larger than a bundle, CAPABILITIES. */
    private final DatagramWriter large;
    /** The writer the frame being appended goes to. */
    private DatagramWriter current;
    final AtomicLong transportSendDrops = new AtomicLong();

    /** Datagrams from {@code clientId}/{@code incarnation}, signed by {@code authenticator} unless it is null. */
    Outbound(MessengerConfig config, long incarnation, Transport transport, FrameAuthenticator authenticator) {
        this.clientId = config.clientId();
        this.incarnation = incarnation;
        this.bundleSize = config.bundleSize();
        this.intervalNs = config.interval().toNanos();
        this.datagramSize = config.maxDatagramSize() == 0 ? WireFormat.MAX_UDP_PAYLOAD : config.maxDatagramSize();
        this.transport = transport;
        this.authenticator = authenticator;
        // whole frames to a peer that reads no fragments (and requests, replies) may take the largest datagram
        this.large = new DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
    }

    @Override
    public void data(PeerOutbox to, PendingMessage m, long nowMillis) {
        int frameBytes = WireFormat.DATA_HEADER_LENGTH + m.payload().length; // a REQUEST's head is as long
        DatagramWriter writer = prepareTraced(to, m instanceof TracedMessage t && t.carriesTrace() ? t : null,
                frameBytes);
        if (!(m.isRequest() ? writer.tryAppendRequest(m.msgId(), nowMillis, m.transmissions(), m.payload(), RESERVE)
                : writer.tryAppendData(m.msgId(), nowMillis, m.transmissions(), m.payload(), RESERVE))) {
            throw new IllegalStateException("frame of " + frameBytes + " bytes does not fit an empty datagram");
        }
        afterAppend(to);
    }

    @Override
    public void fragment(PeerOutbox to, PendingMessage m, int index, long nowMillis) {
        int perFragment = m.fragments().fragmentBytes();
        int offset = index * perFragment;
        int length = Math.min(perFragment, m.payload().length - offset);
        int frameBytes = WireFormat.FRAGMENT_HEADER_LENGTH + length;
        DatagramWriter writer = prepareTraced(to,
                m instanceof TracedMessage t && t.traceDueBeforeFragment() ? t : null, frameBytes);
        if (!writer.tryAppendFragment(m.msgId(), nowMillis, m.transmissions(), m.payload(), index,
                m.fragments().count(), offset, length, RESERVE)) {
            throw new IllegalStateException("fragment of " + length + " bytes does not fit an empty datagram");
        }
        afterAppend(to);
    }

    /** The writer for a frame of {@code frameBytes}, holding {@code traced}'s TRACE_CONTEXT first (unless it went ahead). */
    private DatagramWriter prepareTraced(PeerOutbox to, TracedMessage traced, int frameBytes) {
        int traceBytes = traced == null ? 0 : traceAhead(to, traced, frameBytes);
        DatagramWriter writer = prepare(to, traceBytes + frameBytes);
        if (traceBytes > 0) {
            appendTrace(writer, traced);
        }
        return writer;
    }

    /**
     * Sees that {@code m}'s TRACE_CONTEXT goes just before its frame of {@code frameBytes}: returns the bytes the
     * frame's datagram must hold for it (the caller appends it first), or 0 when both would make the datagram
     * larger than the path's, in which case it went ahead, in the datagram before (docs/PROTOCOL.md, "Trace context").
     */
    private int traceAhead(PeerOutbox to, TracedMessage m, int frameBytes) {
        int traceBytes = DatagramWriter.traceContextLength(m.traceState().length);
        int alone = WireFormat.HEADER_LENGTH + frameBytes + RESERVE;
        if (alone + traceBytes <= (alone <= datagramSize ? datagramSize : WireFormat.MAX_UDP_PAYLOAD)) {
            return traceBytes;
        }
        appendTrace(prepare(to, traceBytes), m);
        afterAppend(to);
        return 0;
    }

    private static void appendTrace(DatagramWriter writer, TracedMessage m) {
        TraceContext trace = m.traceContext();
        writer.tryAppendTraceContext(m.msgId(), trace.flags(), trace.traceIdHigh(), trace.traceIdLow(),
                trace.parentSpanId(), m.traceState(), RESERVE);
    }

    @Override
    public void fragmentAck(PeerOutbox to, int originClientId, long originIncarnation, long msgId,
                            long echoedSendTimeMillis, int index, long nowMillis) {
        prepare(to, WireFormat.FRAGMENT_ACK_LENGTH).tryAppendFragmentAck(originClientId, originIncarnation, msgId,
                echoedSendTimeMillis, nowMillis, index, RESERVE);
        afterAppend(to);
    }

    @Override
    public void endDatagram(PeerOutbox to) {
        sendBundled(to);
    }

    @Override
    public void ack(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                    int transmissions, long nowMillis) {
        prepare(to, WireFormat.ACK_LENGTH).tryAppendAck(originClientId, originIncarnation, msgId,
                echoedSendTimeMillis, nowMillis, Math.max(1, transmissions), RESERVE);
        afterAppend(to);
    }

    @Override
    public void messageAck(PeerOutbox to, int originClientId, long originIncarnation, long msgId,
                           long echoedSendTimeMillis, int transmissions, boolean duplicate, long nowNs, long nowMillis) {
        ack(to, originClientId, originIncarnation, msgId, echoedSendTimeMillis, transmissions, nowMillis);
        if (bundleSize > 0) { // repeats ride in bundles only
            to.keepAck(originClientId, originIncarnation, msgId, echoedSendTimeMillis, Math.max(1, transmissions),
                    nowMillis, duplicate, intervalNs, nowNs);
        }
    }

    @Override
    public void reply(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                      boolean noReply, byte[] reply, long nowMillis) {
        int frameBytes = WireFormat.REPLY_HEADER_LENGTH + reply.length;
        if (!prepare(to, frameBytes).tryAppendReply(originClientId, originIncarnation, msgId, echoedSendTimeMillis,
                nowMillis, noReply, reply, RESERVE)) {
            throw new IllegalStateException("reply of " + reply.length + " bytes does not fit an empty datagram");
        }
        afterAppend(to);
    }

    @Override
    public void ping(PeerOutbox to, long nowMillis) {
        prepare(to, WireFormat.PING_LENGTH).tryAppendPing(nowMillis, RESERVE);
        afterAppend(to);
    }

    @Override
    public void pong(PeerOutbox to, long echoedSendTimeMillis, long nowMillis) {
        prepare(to, WireFormat.PONG_LENGTH).tryAppendPong(echoedSendTimeMillis, nowMillis, RESERVE);
        afterAppend(to);
    }

    @Override
    public void capabilities(PeerOutbox to, boolean answerRequested) {
        sendBundled(to); // what is bundled for the peer goes first: CAPABILITIES travels alone
        large.begin(clientId, incarnation, 0);
        large.tryAppendCapabilities(WireFormat.PROTOCOL_REVISION, WireFormat.FEATURES, answerRequested, RESERVE);
        send(to, large);
    }

    /** Sends every datagram being bundled (the end of a pass, at {@code nowNs}), with the acks it repeats. */
    void flush(long nowNs) {
        for (int i = 0; i < flushList.size(); i++) {
            PeerOutbox box = flushList.get(i);
            box.queuedForFlush = false;
            boolean more = box.appendRepeatedAcks(nowNs, RESERVE, false);
            sendBundled(box);
            if (more && box.appendRepeatedAcks(nowNs, RESERVE, true)) { // one datagram more, of repeats only
                sendBundled(box);
            }
        }
        flushList.clear();
    }

    /**
     * The writer for a frame of {@code frameBytes} to {@code box}: the box's own, sending what it holds
     * first if the frame does not fit after it; or, with bundling off or for a frame that does not fit an
     * empty bundle, the one large writer, whose datagram {@link #afterAppend} sends at once (after what the
     * box holds).
     */
    private DatagramWriter prepare(PeerOutbox box, int frameBytes) {
        if (bundleSize == 0 || WireFormat.HEADER_LENGTH + frameBytes + RESERVE > bundleSize) {
            sendBundled(box);
            large.begin(clientId, incarnation, 0);
            current = large;
            return large;
        }
        DatagramWriter writer = box.writer(bundleSize);
        if (writer.frameCount() > 0 && writer.length() + frameBytes + RESERVE > bundleSize) {
            send(box, writer);
        }
        if (writer.frameCount() == 0) {
            writer.begin(clientId, incarnation, 0);
        }
        current = writer;
        return writer;
    }

    private void afterAppend(PeerOutbox box) {
        if (current == large) {
            send(box, large);
        } else if (!box.queuedForFlush) {
            box.queuedForFlush = true;
            flushList.add(box);
        }
    }

    private void sendBundled(PeerOutbox box) {
        if (box.hasWriter()) {
            send(box, box.writer(bundleSize));
        }
    }

    private void send(PeerOutbox box, DatagramWriter writer) {
        if (writer.frameCount() == 0) {
            return;
        }
        ByteBuffer datagram = writer.finish();
        if (authenticator != null) {
            authenticator.sign(datagram);
        }
        box.datagramsSent.incrementAndGet();
        if (!transport.send(box.address, datagram)) {
            transportSendDrops.incrementAndGet(); // lost like any datagram: retransmission recovers it
        }
        writer.begin(clientId, incarnation, 0);
    }
}
