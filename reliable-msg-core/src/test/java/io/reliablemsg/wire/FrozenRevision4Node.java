package io.reliablemsg.wire;

import io.reliablemsg.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A node of the previous release (protocol revision 4), reading and writing only through
 * {@link FrozenRevision4Codec}, on a {@link Transport} of the test's. It does on the wire what revision 4
 * does for plain messages: a DATA is delivered once and acked at once (a duplicate is acked again), a PING is
 * answered with a PONG, a CAPABILITIES probe is answered with revision 4 and its feature bits (optional frames,
 * request/reply, fragments; no trace context), an optional frame of a type it does not know (TRACE_CONTEXT) is
 * skipped and counted, and a datagram its codec rejects is counted as malformed. It reassembles no fragments:
 * tests send it messages that fit one datagram. For tests that prove a node of this release still exchanges
 * messages with it (docs/PROTOCOL.md, "Wire evolution").
 */
public final class FrozenRevision4Node {
    private static final long REVISION_4_FEATURES = 0b111;

    private final Transport transport;
    private final int clientId;
    private final long incarnation;
    private final LongSupplier wallClockMillis;
    private final FrozenRevision4Codec.DatagramWriter writer = new FrozenRevision4Codec.DatagramWriter(65_507);
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(1 << 16);
    private final Set<Long> deliveredIds = new LinkedHashSet<>();
    private final List<byte[]> delivered = new ArrayList<>();
    private final List<Integer> deliveredDatagramSizes = new ArrayList<>();
    private final Set<Long> acked = new LinkedHashSet<>();
    private final List<String> malformed = new ArrayList<>();
    private long unknownFramesSkipped;

    /** A revision 4 node with {@code clientId}/{@code incarnation} on {@code transport}. */
    public FrozenRevision4Node(Transport transport, int clientId, long incarnation, LongSupplier wallClockMillis) {
        this.transport = transport;
        this.clientId = clientId;
        this.incarnation = incarnation;
        this.wallClockMillis = wallClockMillis;
    }

    /** Handles every datagram waiting on the transport, as revision 4 would. */
    public void poll() {
        try {
            while (true) {
                receiveBuffer.clear();
                InetSocketAddress from = transport.receive(receiveBuffer);
                if (from == null) {
                    return;
                }
                receiveBuffer.flip();
                handle(from, receiveBuffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends message {@code msgId} to {@code to} as a DATA frame stamped now, copy {@code transmissions}. */
    public void send(InetSocketAddress to, long msgId, byte[] payload, int transmissions) {
        writer.begin(clientId, incarnation, 0);
        writer.tryAppendData(msgId, wallClockMillis.getAsLong(), transmissions, payload, 0);
        transport.send(to, writer.finish());
    }

    private void handle(InetSocketAddress from, ByteBuffer datagram) {
        List<Runnable> replies = new ArrayList<>();
        boolean[] answerCapabilities = new boolean[1];
        int size = datagram.remaining();
        FrozenRevision4Codec.DecodeError error = FrozenRevision4Codec.DatagramReader.read(datagram, null,
                new FrozenRevision4Codec.FrameVisitor<Object>() {
                    @Override
                    public void onData(Object context, int senderClientId, long senderIncarnation, long msgId,
                                       long sendTimeMillis, int transmissions, ByteBuffer d, int payloadOffset,
                                       int payloadLength) {
                        if (deliveredIds.add(msgId)) {
                            byte[] payload = new byte[payloadLength];
                            d.get(payloadOffset, payload);
                            delivered.add(payload);
                            deliveredDatagramSizes.add(size);
                        }
                        replies.add(() -> writer.tryAppendAck(senderClientId, senderIncarnation, msgId, sendTimeMillis,
                                wallClockMillis.getAsLong(), transmissions, 0));
                    }

                    @Override
                    public void onAck(Object context, int senderClientId, long senderIncarnation, int originClientId,
                                      long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                                      int transmissions) {
                        if (originClientId == clientId && originIncarnation == incarnation) {
                            acked.add(msgId);
                        }
                    }

                    @Override
                    public void onPing(Object context, int senderClientId, long senderIncarnation, long sendTimeMillis) {
                        replies.add(() -> writer.tryAppendPong(sendTimeMillis, wallClockMillis.getAsLong(), 0));
                    }

                    @Override
                    public void onCapabilities(Object context, int senderClientId, long senderIncarnation, int revision,
                                               long features, boolean answerRequested) {
                        answerCapabilities[0] |= answerRequested;
                    }

                    @Override
                    public void onUnknownOptionalFrame(Object context, int senderClientId, long senderIncarnation,
                                                       int type, int bodyLength) {
                        unknownFramesSkipped++;
                    }
                });
        if (error != null) {
            malformed.add(error.name());
            return;
        }
        if (!replies.isEmpty()) {
            writer.begin(clientId, incarnation, 0);
            replies.forEach(Runnable::run);
            transport.send(from, writer.finish());
        }
        if (answerCapabilities[0]) {
            writer.begin(clientId, incarnation, 0);
            writer.tryAppendCapabilities(4, REVISION_4_FEATURES, false, 0);
            transport.send(from, writer.finish());
        }
    }

    /** Payloads delivered, once each, in arrival order. */
    public List<byte[]> delivered() {
        return delivered;
    }

    /** Size of the datagram that delivered each of {@link #delivered()}. */
    public List<Integer> deliveredDatagramSizes() {
        return deliveredDatagramSizes;
    }

    /** Ids of this node's messages that were acked. */
    public Set<Long> acked() {
        return acked;
    }

    /** Why each datagram its codec rejected was rejected, in order. */
    public List<String> malformed() {
        return malformed;
    }

    /** Optional frames of types revision 4 does not know, skipped by their length. */
    public long unknownFramesSkipped() {
        return unknownFramesSkipped;
    }
}
