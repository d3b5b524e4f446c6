package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.internal.Reassembly.Key;
import io.reliablemsg.internal.Reassembly.Outcome;
import io.reliablemsg.receive.SenderIncarnations;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Reassembly on its own: the byte bound over all messages, inconsistent fragments, duplicates, the whole
 * message, and expiry at the hold time's boundary (the memory bound of partial messages).
 */
class ReassemblyTest {
    private static final long HOLD_NS = 1_000;

    private final PeerReceiveState peer = new PeerReceiveState("b", new SenderIncarnations(4, 1024, 1_000, 1_000));
    private final Reassembly reassembly = new Reassembly(10, HOLD_NS);
    private final ByteBuffer datagram = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    private Key key(long msgId) {
        return new Key(peer, 2, 77, msgId);
    }

    /** Fragment {@code index} of a message of 8 bytes in two fragments of 4. */
    private Outcome add(long msgId, int index, long nowNs) {
        return reassembly.add(key(msgId), 8, index, 2, index * 4, datagram, index * 4, 4, nowNs);
    }

    @Test
    void aMessageIsWholeOnceEveryFragmentCameAndADuplicateFragmentIsHeldOnce() {
        assertThat(add(1, 1, 0)).isEqualTo(Outcome.STORED);
        assertThat(add(1, 1, 0)).isEqualTo(Outcome.ALREADY_HELD);
        assertThat(add(1, 0, 0)).isEqualTo(Outcome.COMPLETE);
        assertThat(add(1, 0, 0)).as("a copy of a fragment of a whole message").isEqualTo(Outcome.COMPLETE);
        assertThat(reassembly.message(key(1))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(reassembly.heldBytes()).isEqualTo(8);
        reassembly.remove(key(1));
        assertThat(reassembly.heldBytes()).isZero();
        assertThat(reassembly.size()).isZero();
        assertThat(reassembly.message(key(1))).isNull();
    }

    @Test
    void aNewMessageThatDoesNotFitIsRefusedUntilRoomIsMade() {
        assertThat(add(1, 0, 0)).isEqualTo(Outcome.STORED);
        assertThat(add(2, 0, 0)).as("8 + 8 bytes over a bound of 10").isEqualTo(Outcome.REFUSED);
        assertThat(reassembly.size()).isEqualTo(1);
        reassembly.remove(key(1));
        assertThat(add(2, 0, 0)).isEqualTo(Outcome.STORED);
        Reassembly exact = new Reassembly(16, HOLD_NS);
        assertThat(exact.add(key(1), 8, 0, 2, 0, datagram, 0, 4, 0)).isEqualTo(Outcome.STORED);
        assertThat(exact.add(key(2), 8, 0, 2, 0, datagram, 0, 4, 0)).as("exactly at the bound").isEqualTo(Outcome.STORED);
        assertThat(exact.heldBytes()).isEqualTo(16);
    }

    @Test
    void fragmentsThatDisagreeAreInconsistentAndAMessageThatDoesNotAddUpIsDroppedWhole() {
        assertThat(add(1, 0, 0)).isEqualTo(Outcome.STORED);
        assertThat(reassembly.add(key(1), 9, 1, 2, 4, datagram, 4, 4, 0)).as("another length")
                .isEqualTo(Outcome.INCONSISTENT);
        assertThat(reassembly.add(key(1), 8, 1, 3, 4, datagram, 4, 4, 0)).as("another count")
                .isEqualTo(Outcome.INCONSISTENT);
        // the second fragment covers 3 bytes only: 4 + 3 != 8
        assertThat(reassembly.add(key(1), 8, 1, 2, 4, datagram, 4, 3, 0)).isEqualTo(Outcome.INCONSISTENT);
        assertThat(reassembly.size()).isZero();
        assertThat(reassembly.heldBytes()).as("its buffer given back").isZero();
    }

    @Test
    void aPartialMessageExpiresOnlyOnceItsLastFragmentIsMoreThanTheHoldTimeOld() {
        assertThat(add(1, 0, 0)).isEqualTo(Outcome.STORED);
        assertThat(add(2, 0, 500)).isEqualTo(Outcome.REFUSED); // the bound is full: 8 of 10 bytes
        reassembly.expire(HOLD_NS);
        assertThat(reassembly.size()).as("exactly the hold time old: kept").isEqualTo(1);
        reassembly.expire(HOLD_NS + 1);
        assertThat(reassembly.size()).isZero();
        assertThat(reassembly.heldBytes()).isZero();
        assertThat(add(2, 0, HOLD_NS + 1)).as("room again").isEqualTo(Outcome.STORED);
        assertThat(add(2, 1, 2 * HOLD_NS)).as("a later fragment restarts the hold time").isEqualTo(Outcome.COMPLETE);
        reassembly.expire(2 * HOLD_NS + HOLD_NS);
        assertThat(reassembly.size()).isEqualTo(1);
    }
}
