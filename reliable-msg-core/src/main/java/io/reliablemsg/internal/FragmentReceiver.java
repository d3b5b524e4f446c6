package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.DuplicateWindow;
import java.nio.ByteBuffer;

/**
 * The receiver's part of fragmentation (docs/PROTOCOL.md, section 12). Each FRAGMENT copy is judged for its
 * age (S6) like a DATA copy, and against the duplicate window of its message id: a fragment of a message
 * delivered already is answered with the message's ACK (S8) and one below the window is dropped, both through
 * the {@link Receiver} as a DATA copy would be. A fragment of a new message goes to {@link Reassembly} and is
 * answered with a FRAGMENT_ACK, unless refused for want of memory (counted, not acked: the sender retries) or
 * inconsistent (counted, dropped); each fragment ack goes again with those of the next passes
 * ({@link FragmentAckRepeats}), so that a lost datagram of acks costs the sender no fragments. The fragment that makes the message whole hands it to the {@link Receiver}
 * as one DATA copy carrying the whole payload, so it is delivered once, whole, in one handler call, marked and
 * acked by the message's ACK exactly as a message in one datagram (or after its handler, with
 * {@code ackMode=after-handler}); a message the delivery queue refused stays whole here until a later copy.
 * With {@code ackMode=after-handler} no fragment is acked one by one (an ack there says "handled"): the sender
 * then sends every fragment each interval, and the receiver keeps what it has.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class FragmentReceiver {
    private final Receiver receiver;
    private final FragmentAckRepeats acks;
    private final Reassembly reassembly;
    private final int maxMessageSize;
    private final boolean ackFragments;

    FragmentReceiver(MessengerConfig config, Receiver receiver, AckOut out, boolean afterHandler) {
        this.receiver = receiver;
        this.acks = new FragmentAckRepeats(out, config.interval().toNanos());
        this.reassembly = new Reassembly(config.reassemblyBytes(), config.duplicateHoldTime().toNanos());
        this.maxMessageSize = config.maxMessageSize();
        this.ackFragments = !afterHandler;
    }

    /** A FRAGMENT frame from {@code peer}, come in on the path whose outbound is {@code replyTo}. */
    void onFragment(PeerReceiveState peer, PeerOutbox replyTo, int clientId, long incarnation, long msgId,
                    long sendTimeMillis, int transmissions, int length, int index, int count, int messageOffset,
                    ByteBuffer datagram, int dataOffset, int dataLength, long nowNs, long nowMillis) {
        if (!receiver.fresh(peer, msgId, sendTimeMillis, nowNs, nowMillis)) {
            return;
        }
        if (length > maxMessageSize) { // more than this node accepts from anyone
            peer.fragmentsDropped.incrementAndGet();
            return;
        }
        DuplicateWindow window = peer.incarnations.window(clientId, incarnation, nowNs);
        if (window == null || window.check(msgId) != DuplicateWindow.Verdict.NEW) { // re-acked (S8) or dropped
            receiver.onData(peer, replyTo, clientId, incarnation, msgId, sendTimeMillis, transmissions, datagram,
                    dataOffset, 0, nowNs, nowMillis);
            return;
        }
        Reassembly.Key key = new Reassembly.Key(peer, clientId, incarnation, msgId);
        Reassembly.Outcome result = reassembly.add(key, length, index, count, messageOffset, datagram, dataOffset,
                dataLength, nowNs);
        switch (result) {
            case REFUSED -> peer.reassemblyRefusals.incrementAndGet();
            case INCONSISTENT -> peer.fragmentsDropped.incrementAndGet();
            case STORED, ALREADY_HELD -> {
                if (result == Reassembly.Outcome.ALREADY_HELD) {
                    acks.heldAgain(nowNs); // our ack of it was lost: keep more acks to repeat for a while
                }
                if (ackFragments) {
                    acks.ack(replyTo, clientId, incarnation, msgId, sendTimeMillis, index, nowNs, nowMillis);
                }
            }
            case COMPLETE -> {
                byte[] message = reassembly.message(key);
                long rejectedBefore = peer.deliveryRejected.get();
                receiver.onData(peer, replyTo, clientId, incarnation, msgId, sendTimeMillis, transmissions,
                        ByteBuffer.wrap(message), 0, message.length, nowNs, nowMillis);
                if (peer.deliveryRejected.get() == rejectedBefore) { // taken: delivered, or handed to its handler
                    reassembly.remove(key);
                    if (ackFragments) { // acked at once: the ACK goes again, alone
                        acks.completed(replyTo, clientId, incarnation, msgId, sendTimeMillis, transmissions, nowMillis);
                    }
                }
            }
        }
    }

    /** Forgets partial messages idle for longer than the hold time. */
    void expire(long nowNs) {
        reassembly.expire(nowNs);
    }
}
