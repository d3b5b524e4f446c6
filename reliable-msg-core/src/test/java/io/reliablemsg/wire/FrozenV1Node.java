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
 * A node that has not been upgraded: it reads and writes only through {@link FrozenV1Codec}, the
 * version 1 codec as released, on a {@link Transport} of the test's. It does what the first release
 * does on the wire: a DATA is delivered once and acked at once (a duplicate is acked again and not
 * delivered again), a PING is answered with a PONG, an ACK of one of its messages is recorded, and a
 * datagram its codec rejects is counted as malformed and otherwise ignored. For tests that prove a
 * node of this release still exchanges messages with it (docs/PROTOCOL.md, "Wire evolution").
 */
public final class FrozenV1Node {
    private final Transport transport;
    private final int clientId;
    private final long incarnation;
    private final LongSupplier wallClockMillis;
    private final FrozenV1Codec.DatagramWriter writer = new FrozenV1Codec.DatagramWriter(65_507);
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(1 << 16);
    private final Set<Long> deliveredIds = new LinkedHashSet<>();
    private final List<byte[]> delivered = new ArrayList<>();
    private final Set<Long> acked = new LinkedHashSet<>();
    private final List<String> malformed = new ArrayList<>();
    private long duplicates;

    /** A version 1 node with {@code clientId}/{@code incarnation} on {@code transport}. */
    public FrozenV1Node(Transport transport, int clientId, long incarnation, LongSupplier wallClockMillis) {
        this.transport = transport;
        this.clientId = clientId;
        this.incarnation = incarnation;
        this.wallClockMillis = wallClockMillis;
    }

    /** Handles every datagram waiting on the transport, as the first release would. */
    public void poll() {
        try {
            InetSocketAddress from;
            while (true) {
                receiveBuffer.clear();
                from = transport.receive(receiveBuffer);
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

    /** Sends message {@code msgId} to {@code to} as a version 1 DATA frame stamped now, copy {@code transmissions}. */
    public void send(InetSocketAddress to, long msgId, byte[] payload, int transmissions) {
        writer.begin(clientId, incarnation, 0);
        writer.tryAppendData(msgId, wallClockMillis.getAsLong(), transmissions, payload, 0);
        transport.send(to, writer.finish());
    }

    private void handle(InetSocketAddress from, ByteBuffer datagram) {
        List<Runnable> replies = new ArrayList<>();
        FrozenV1Codec.DecodeError error = FrozenV1Codec.DatagramReader.read(datagram, new FrozenV1Codec.FrameVisitor() {
            @Override
            public void onData(int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                               int transmissions, ByteBuffer d, int payloadOffset, int payloadLength) {
                if (deliveredIds.add(msgId)) {
                    byte[] payload = new byte[payloadLength];
                    d.get(payloadOffset, payload);
                    delivered.add(payload);
                } else {
                    duplicates++;
                }
                replies.add(() -> writer.tryAppendAck(senderClientId, senderIncarnation, msgId, sendTimeMillis,
                        wallClockMillis.getAsLong(), transmissions, 0));
            }

            @Override
            public void onAck(int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                              long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
                if (originClientId == clientId && originIncarnation == incarnation) {
                    acked.add(msgId);
                }
            }

            @Override
            public void onPing(int senderClientId, long senderIncarnation, long sendTimeMillis) {
                replies.add(() -> writer.tryAppendPong(sendTimeMillis, wallClockMillis.getAsLong(), 0));
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
    }

    /** Payloads delivered, once each, in arrival order. */
    public List<byte[]> delivered() {
        return delivered;
    }

    /** Copies of already delivered messages that came again (acked again, not delivered again). */
    public long duplicates() {
        return duplicates;
    }

    /** Ids of this node's messages that were acked. */
    public Set<Long> acked() {
        return acked;
    }

    /** Why each datagram its codec rejected was rejected, in order. */
    public List<String> malformed() {
        return malformed;
    }
}
