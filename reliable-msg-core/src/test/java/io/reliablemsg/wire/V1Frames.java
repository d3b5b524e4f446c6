package io.reliablemsg.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The frames wire format version 1 knows (DATA, ACK, PING, PONG) as values, written through either
 * writer (this release's or the frozen version 1 one) and read back through either reader as one
 * line of text per frame (this release's reader also renders CAPABILITIES and skipped optional
 * frames, and the frames of later revisions), so that what two codecs make of the same datagram compares with {@code equals} and a
 * failure shows the frames that differ.
 */
final class V1Frames {
    private V1Frames() {
    }

    /** One frame of version 1, appended the same way through both writers. */
    sealed interface Frame permits Data, Ack, Ping, Pong {
        /** Appends this frame through this release's writer; false when it does not fit. */
        boolean appendTo(DatagramWriter writer, int reserveBytes);

        /** Appends this frame through the frozen version 1 writer; false when it does not fit. */
        boolean appendTo(FrozenV1Codec.DatagramWriter writer, int reserveBytes);
    }

    /** A DATA frame. */
    record Data(long msgId, long sendTimeMillis, int transmissions, byte[] payload) implements Frame {
        @Override
        public boolean appendTo(DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendData(msgId, sendTimeMillis, transmissions, payload, reserveBytes);
        }

        @Override
        public boolean appendTo(FrozenV1Codec.DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendData(msgId, sendTimeMillis, transmissions, payload, reserveBytes);
        }
    }

    /** An ACK frame. */
    record Ack(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
               int transmissions) implements Frame {
        @Override
        public boolean appendTo(DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendAck(originClientId, originIncarnation, msgId, echoedSendTimeMillis, ackTimeMillis,
                    transmissions, reserveBytes);
        }

        @Override
        public boolean appendTo(FrozenV1Codec.DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendAck(originClientId, originIncarnation, msgId, echoedSendTimeMillis, ackTimeMillis,
                    transmissions, reserveBytes);
        }
    }

    /** A PING frame. */
    record Ping(long sendTimeMillis) implements Frame {
        @Override
        public boolean appendTo(DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendPing(sendTimeMillis, reserveBytes);
        }

        @Override
        public boolean appendTo(FrozenV1Codec.DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendPing(sendTimeMillis, reserveBytes);
        }
    }

    /** A PONG frame. */
    record Pong(long echoedSendTimeMillis, long pongTimeMillis) implements Frame {
        @Override
        public boolean appendTo(DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendPong(echoedSendTimeMillis, pongTimeMillis, reserveBytes);
        }

        @Override
        public boolean appendTo(FrozenV1Codec.DatagramWriter writer, int reserveBytes) {
            return writer.tryAppendPong(echoedSendTimeMillis, pongTimeMillis, reserveBytes);
        }
    }

    /** A datagram written by this release's writer: header then {@code frames}, every one of which must fit. */
    static byte[] writeNew(int clientId, long incarnation, List<? extends Frame> frames) {
        DatagramWriter writer = new DatagramWriter(WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(clientId, incarnation, 0);
        for (Frame frame : frames) {
            if (!frame.appendTo(writer, 0)) {
                throw new IllegalArgumentException("frame does not fit: " + frame);
            }
        }
        return bytes(writer.finish());
    }

    /** The same datagram written by the frozen version 1 writer. */
    static byte[] writeV1(int clientId, long incarnation, List<? extends Frame> frames) {
        FrozenV1Codec.DatagramWriter writer =
                new FrozenV1Codec.DatagramWriter(FrozenV1Codec.WireFormat.MAX_UDP_PAYLOAD);
        writer.begin(clientId, incarnation, 0);
        for (Frame frame : frames) {
            if (!frame.appendTo(writer, 0)) {
                throw new IllegalArgumentException("frame does not fit: " + frame);
            }
        }
        return bytes(writer.finish());
    }

    /** Copies the datagram out of a writer's reused buffer. */
    private static byte[] bytes(ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.duplicate().get(bytes);
        return bytes;
    }

    /** What {@code frames}, sent by {@code clientId}/{@code incarnation}, read as: one line per frame. */
    static List<String> expected(int clientId, long incarnation, List<? extends Frame> frames) {
        List<String> lines = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame instanceof Data d) {
                lines.add(data(clientId, incarnation, d.msgId(), d.sendTimeMillis(), clamp(d.transmissions()),
                        d.payload()));
            } else if (frame instanceof Ack a) {
                lines.add(ack(clientId, incarnation, a.originClientId(), a.originIncarnation(), a.msgId(),
                        a.echoedSendTimeMillis(), a.ackTimeMillis(), clamp(a.transmissions())));
            } else if (frame instanceof Ping p) {
                lines.add(ping(clientId, incarnation, p.sendTimeMillis()));
            } else if (frame instanceof Pong p) {
                lines.add(pong(clientId, incarnation, p.echoedSendTimeMillis(), p.pongTimeMillis()));
            }
        }
        return lines;
    }

    private static int clamp(int transmissions) {
        return Math.min(transmissions, WireFormat.MAX_TRANSMISSIONS);
    }

    static String data(int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis, int transmissions,
                       byte[] payload) {
        return "DATA from " + senderClientId + "/" + senderIncarnation + " msg " + msgId + " sent " + sendTimeMillis
                + " transmission " + transmissions + " payload " + HexFormat.of().formatHex(payload);
    }

    static String ack(int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                      long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
        return "ACK from " + senderClientId + "/" + senderIncarnation + " of " + originClientId + "/"
                + originIncarnation + " msg " + msgId + " echoed " + echoedSendTimeMillis + " acked " + ackTimeMillis
                + " transmission " + transmissions;
    }

    static String ping(int senderClientId, long senderIncarnation, long sendTimeMillis) {
        return "PING from " + senderClientId + "/" + senderIncarnation + " sent " + sendTimeMillis;
    }

    static String pong(int senderClientId, long senderIncarnation, long echoedSendTimeMillis, long pongTimeMillis) {
        return "PONG from " + senderClientId + "/" + senderIncarnation + " echoed " + echoedSendTimeMillis
                + " ponged " + pongTimeMillis;
    }

    static String capabilities(int senderClientId, long senderIncarnation, int revision, long features,
                               boolean answerRequested) {
        return "CAPABILITIES from " + senderClientId + "/" + senderIncarnation + " revision " + revision
                + " features 0x" + Long.toHexString(features) + (answerRequested ? " answer requested" : "");
    }

    static String unknownOptional(int senderClientId, long senderIncarnation, int type, int bodyLength) {
        return "SKIPPED optional type 0x" + Integer.toHexString(type) + " from " + senderClientId + "/"
                + senderIncarnation + ", " + bodyLength + " body bytes";
    }

    static String request(int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                          int transmissions, byte[] payload) {
        return "REQUEST from " + senderClientId + "/" + senderIncarnation + " msg " + msgId + " sent " + sendTimeMillis
                + " transmission " + transmissions + " payload " + HexFormat.of().formatHex(payload);
    }

    static String reply(int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                        long msgId, long echoedSendTimeMillis, long replyTimeMillis, boolean noReply, byte[] reply) {
        return "REPLY from " + senderClientId + "/" + senderIncarnation + " to " + originClientId + "/"
                + originIncarnation + " msg " + msgId + " echoed " + echoedSendTimeMillis + " replied "
                + replyTimeMillis + (noReply ? " no reply" : " reply " + HexFormat.of().formatHex(reply));
    }

    static String fragment(int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                           int transmissions, int length, int index, int count, int offset, byte[] data) {
        return "FRAGMENT from " + senderClientId + "/" + senderIncarnation + " msg " + msgId + " sent " + sendTimeMillis
                + " transmission " + transmissions + " " + index + "/" + count + " at " + offset + " of " + length
                + " data " + HexFormat.of().formatHex(data);
    }

    static String fragmentAck(int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                              long msgId, long echoedSendTimeMillis, long ackTimeMillis, int index) {
        return "FRAGMENT_ACK from " + senderClientId + "/" + senderIncarnation + " to " + originClientId + "/"
                + originIncarnation + " msg " + msgId + " fragment " + index + " echoed " + echoedSendTimeMillis
                + " acked " + ackTimeMillis;
    }

    static String traceContext(int senderClientId, long senderIncarnation, long msgId, int version, int flags,
                               long traceIdHigh, long traceIdLow, long parentSpanId, byte[] traceState) {
        return "TRACE_CONTEXT from " + senderClientId + "/" + senderIncarnation + " msg " + msgId + " version "
                + version + " flags " + flags + " trace " + HexFormat.of().toHexDigits(traceIdHigh)
                + HexFormat.of().toHexDigits(traceIdLow) + " span " + HexFormat.of().toHexDigits(parentSpanId)
                + " state '" + new String(traceState, java.nio.charset.StandardCharsets.US_ASCII) + "'";
    }

    private static byte[] payload(ByteBuffer datagram, int offset, int length) {
        byte[] payload = new byte[length];
        datagram.get(offset, payload);
        return payload;
    }

    /** Records what this release's reader visits, into the list handed to it as the context. */
    static final class NewRecorder implements FrameVisitor<List<String>> {
        @Override
        public void onData(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                           long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                           int payloadLength) {
            seen.add(data(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    payload(datagram, payloadOffset, payloadLength)));
        }

        @Override
        public void onAck(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                          long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                          int transmissions) {
            seen.add(ack(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, ackTimeMillis, transmissions));
        }

        @Override
        public void onPing(List<String> seen, int senderClientId, long senderIncarnation, long sendTimeMillis) {
            seen.add(ping(senderClientId, senderIncarnation, sendTimeMillis));
        }

        @Override
        public void onPong(List<String> seen, int senderClientId, long senderIncarnation, long echoedSendTimeMillis,
                           long pongTimeMillis) {
            seen.add(pong(senderClientId, senderIncarnation, echoedSendTimeMillis, pongTimeMillis));
        }

        @Override
        public void onCapabilities(List<String> seen, int senderClientId, long senderIncarnation, int revision,
                                   long features, boolean answerRequested) {
            seen.add(capabilities(senderClientId, senderIncarnation, revision, features, answerRequested));
        }

        @Override
        public void onUnknownOptionalFrame(List<String> seen, int senderClientId, long senderIncarnation, int type,
                                           int bodyLength) {
            seen.add(unknownOptional(senderClientId, senderIncarnation, type, bodyLength));
        }

        @Override
        public void onRequest(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                              long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                              int payloadLength) {
            seen.add(request(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    payload(datagram, payloadOffset, payloadLength)));
        }

        @Override
        public void onReply(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                            long originIncarnation, long msgId, long echoedSendTimeMillis, long replyTimeMillis,
                            boolean noReply, ByteBuffer datagram, int replyOffset, int replyLength) {
            seen.add(reply(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, replyTimeMillis, noReply, payload(datagram, replyOffset, replyLength)));
        }

        @Override
        public void onFragment(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                               long sendTimeMillis, int transmissions, int messageLength, int index, int count,
                               int messageOffset, ByteBuffer datagram, int dataOffset, int dataLength) {
            seen.add(fragment(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions, messageLength,
                    index, count, messageOffset, payload(datagram, dataOffset, dataLength)));
        }

        @Override
        public void onFragmentAck(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                                  long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                                  int index) {
            seen.add(fragmentAck(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, ackTimeMillis, index));
        }

        @Override
        public void onTraceContext(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                                   int version, int flags, long traceIdHigh, long traceIdLow, long parentSpanId,
                                   ByteBuffer datagram, int traceStateOffset, int traceStateLength) {
            seen.add(traceContext(senderClientId, senderIncarnation, msgId, version, flags, traceIdHigh, traceIdLow,
                    parentSpanId, payload(datagram, traceStateOffset, traceStateLength)));
        }
    }

    /** Records what the frozen revision 2 reader visits, in the same lines as {@link NewRecorder}. */
    static final class Revision2Recorder implements FrozenRevision2Codec.FrameVisitor<List<String>> {
        @Override
        public void onData(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                           long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                           int payloadLength) {
            seen.add(data(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    payload(datagram, payloadOffset, payloadLength)));
        }

        @Override
        public void onAck(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                          long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                          int transmissions) {
            seen.add(ack(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, ackTimeMillis, transmissions));
        }

        @Override
        public void onPing(List<String> seen, int senderClientId, long senderIncarnation, long sendTimeMillis) {
            seen.add(ping(senderClientId, senderIncarnation, sendTimeMillis));
        }

        @Override
        public void onPong(List<String> seen, int senderClientId, long senderIncarnation, long echoedSendTimeMillis,
                           long pongTimeMillis) {
            seen.add(pong(senderClientId, senderIncarnation, echoedSendTimeMillis, pongTimeMillis));
        }

        @Override
        public void onCapabilities(List<String> seen, int senderClientId, long senderIncarnation, int revision,
                                   long features, boolean answerRequested) {
            seen.add(capabilities(senderClientId, senderIncarnation, revision, features, answerRequested));
        }

        @Override
        public void onUnknownOptionalFrame(List<String> seen, int senderClientId, long senderIncarnation, int type,
                                           int bodyLength) {
            seen.add(unknownOptional(senderClientId, senderIncarnation, type, bodyLength));
        }
    }

    /** Records what the frozen revision 4 reader visits, in the same lines as {@link NewRecorder}. */
    static final class Revision4Recorder implements FrozenRevision4Codec.FrameVisitor<List<String>> {
        @Override
        public void onData(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                           long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                           int payloadLength) {
            seen.add(data(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    payload(datagram, payloadOffset, payloadLength)));
        }

        @Override
        public void onAck(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                          long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                          int transmissions) {
            seen.add(ack(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, ackTimeMillis, transmissions));
        }

        @Override
        public void onPing(List<String> seen, int senderClientId, long senderIncarnation, long sendTimeMillis) {
            seen.add(ping(senderClientId, senderIncarnation, sendTimeMillis));
        }

        @Override
        public void onPong(List<String> seen, int senderClientId, long senderIncarnation, long echoedSendTimeMillis,
                           long pongTimeMillis) {
            seen.add(pong(senderClientId, senderIncarnation, echoedSendTimeMillis, pongTimeMillis));
        }

        @Override
        public void onCapabilities(List<String> seen, int senderClientId, long senderIncarnation, int revision,
                                   long features, boolean answerRequested) {
            seen.add(capabilities(senderClientId, senderIncarnation, revision, features, answerRequested));
        }

        @Override
        public void onUnknownOptionalFrame(List<String> seen, int senderClientId, long senderIncarnation, int type,
                                           int bodyLength) {
            seen.add(unknownOptional(senderClientId, senderIncarnation, type, bodyLength));
        }

        @Override
        public void onRequest(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                              long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                              int payloadLength) {
            seen.add(request(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    payload(datagram, payloadOffset, payloadLength)));
        }

        @Override
        public void onReply(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                            long originIncarnation, long msgId, long echoedSendTimeMillis, long replyTimeMillis,
                            boolean noReply, ByteBuffer datagram, int replyOffset, int replyLength) {
            seen.add(reply(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, replyTimeMillis, noReply, payload(datagram, replyOffset, replyLength)));
        }

        @Override
        public void onFragment(List<String> seen, int senderClientId, long senderIncarnation, long msgId,
                               long sendTimeMillis, int transmissions, int messageLength, int index, int count,
                               int messageOffset, ByteBuffer datagram, int dataOffset, int dataLength) {
            seen.add(fragment(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions, messageLength,
                    index, count, messageOffset, payload(datagram, dataOffset, dataLength)));
        }

        @Override
        public void onFragmentAck(List<String> seen, int senderClientId, long senderIncarnation, int originClientId,
                                  long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                                  int index) {
            seen.add(fragmentAck(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, ackTimeMillis, index));
        }
    }

    /** What the frozen revision 4 reader makes of {@code bytes}, in the same form as {@link #readNew}. */
    static List<String> readRevision4(byte[] bytes) {
        List<String> seen = new ArrayList<>();
        FrozenRevision4Codec.DecodeError error = FrozenRevision4Codec.DatagramReader.read(ByteBuffer.wrap(bytes), seen,
                new Revision4Recorder());
        return error == null ? seen : List.of("rejected: " + error + (seen.isEmpty() ? "" : " after visiting " + seen));
    }

    /** What the frozen revision 2 reader makes of {@code bytes}, in the same form as {@link #readNew}. */
    static List<String> readRevision2(byte[] bytes) {
        List<String> seen = new ArrayList<>();
        FrozenRevision2Codec.DecodeError error = FrozenRevision2Codec.DatagramReader.read(ByteBuffer.wrap(bytes), seen,
                new Revision2Recorder());
        return error == null ? seen : List.of("rejected: " + error + (seen.isEmpty() ? "" : " after visiting " + seen));
    }

    /** Records what the frozen version 1 reader visits. */
    static final class V1Recorder implements FrozenV1Codec.FrameVisitor {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onData(int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                           int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
            seen.add(data(senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    payload(datagram, payloadOffset, payloadLength)));
        }

        @Override
        public void onAck(int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
                          long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions) {
            seen.add(ack(senderClientId, senderIncarnation, originClientId, originIncarnation, msgId,
                    echoedSendTimeMillis, ackTimeMillis, transmissions));
        }

        @Override
        public void onPing(int senderClientId, long senderIncarnation, long sendTimeMillis) {
            seen.add(ping(senderClientId, senderIncarnation, sendTimeMillis));
        }

        @Override
        public void onPong(int senderClientId, long senderIncarnation, long echoedSendTimeMillis, long pongTimeMillis) {
            seen.add(pong(senderClientId, senderIncarnation, echoedSendTimeMillis, pongTimeMillis));
        }
    }

    /** What this release's reader makes of {@code bytes}: the frames visited, or "rejected: ERROR" alone. */
    static List<String> readNew(byte[] bytes) {
        List<String> seen = new ArrayList<>();
        DecodeError error = DatagramReader.read(ByteBuffer.wrap(bytes), seen, new NewRecorder());
        return error == null ? seen : List.of("rejected: " + error + (seen.isEmpty() ? "" : " after visiting " + seen));
    }

    /** What the frozen version 1 reader makes of {@code bytes}, in the same form as {@link #readNew}. */
    static List<String> readV1(byte[] bytes) {
        V1Recorder recorder = new V1Recorder();
        FrozenV1Codec.DecodeError error = FrozenV1Codec.DatagramReader.read(ByteBuffer.wrap(bytes), recorder);
        return error == null ? recorder.seen
                : List.of("rejected: " + error + (recorder.seen.isEmpty() ? "" : " after visiting " + recorder.seen));
    }
}
