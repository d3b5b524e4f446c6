package io.reliablemsg.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.wire.FrameAuthenticator.Failure;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the authentication trailer (docs/SECURITY.md): a signed datagram is at least a
 * header plus the 17-byte trailer, each length checked on both sides of that bound; verification
 * works on the bytes between position and limit (not from index 0), leaves a refused datagram as it
 * was and cuts the trailer off an accepted one; key ids are unsigned bytes; every key configured is
 * accepted and only the send key signs.
 */
class FrameAuthenticatorTest {
    private static final byte[] KEY_A = "0123456789abcdef0123456789abcdef".getBytes();
    private static final byte[] KEY_B = "fedcba9876543210fedcba9876543210".getBytes();
    private static final int MIN_SIGNED = WireFormat.HEADER_LENGTH + FrameAuthenticator.TRAILER_LENGTH;

    /** A datagram of {@code frameBytes} bytes after a header, at {@code offset} in a larger buffer, room for a trailer. */
    private static ByteBuffer datagram(int offset, int frameBytes) {
        ByteBuffer b = ByteBuffer.allocate(offset + WireFormat.HEADER_LENGTH + frameBytes + FrameAuthenticator.TRAILER_LENGTH);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (i * 7 + 3));
        }
        b.put(offset + WireFormat.FLAGS_OFFSET, (byte) 0); // not flagged until signed
        b.position(offset).limit(offset + WireFormat.HEADER_LENGTH + frameBytes);
        return b;
    }

    private static ByteBuffer signed(FrameAuthenticator auth, int offset, int frameBytes) {
        ByteBuffer d = datagram(offset, frameBytes);
        int end = d.limit();
        ByteBuffer view = d.limit(d.capacity()).slice(offset, d.capacity() - offset).limit(end - offset);
        auth.sign(view);
        d.limit(offset + view.limit());
        return d;
    }

    @Test
    void signingFlagsTheDatagramAndAppendsTheKeyIdAndSixteenMacBytesLeavingThePositionAlone() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(7, KEY_A), 7);
        ByteBuffer d = datagram(0, 10);
        auth.sign(d);
        assertThat(d.position()).isZero();
        assertThat(d.limit()).isEqualTo(30 + FrameAuthenticator.TRAILER_LENGTH);
        assertThat(d.get(WireFormat.FLAGS_OFFSET) & WireFormat.FLAG_AUTHENTICATED).isEqualTo(1);
        assertThat(d.get(30)).isEqualTo((byte) 7);
        assertThat(auth.verify(d)).isNull();
        assertThat(d.position()).isZero();
        assertThat(d.limit()).as("trailer cut off").isEqualTo(30);
    }

    @Test
    void theShortestSignedDatagramIsAHeaderAndATrailerAndOneByteLessIsTooShort() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        ByteBuffer headerOnly = signed(auth, 0, 0);
        assertThat(headerOnly.remaining()).isEqualTo(MIN_SIGNED);
        ByteBuffer cut = headerOnly.duplicate().limit(MIN_SIGNED - 1);

        assertThat(auth.verify(cut)).isEqualTo(Failure.TOO_SHORT);
        assertThat(cut.limit()).as("left as it was").isEqualTo(MIN_SIGNED - 1);
        assertThat(auth.verify(headerOnly)).isNull();
        assertThat(headerOnly.limit()).isEqualTo(WireFormat.HEADER_LENGTH);
    }

    @Test
    void aDatagramShorterThanATrailerAllowsIsNotSignedWhenItsFlagIsClearAndTooShortWhenSetOrHeaderless() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        ByteBuffer plainHeader = datagram(0, 0);
        assertThat(plainHeader.remaining()).isEqualTo(WireFormat.HEADER_LENGTH);
        assertThat(auth.verify(plainHeader)).isEqualTo(Failure.NOT_SIGNED);

        ByteBuffer headerLess = datagram(0, 0).limit(WireFormat.HEADER_LENGTH - 1);
        assertThat(auth.verify(headerLess)).as("19 bytes, flag clear").isEqualTo(Failure.TOO_SHORT);

        ByteBuffer flagged = datagram(0, 0);
        flagged.put(WireFormat.FLAGS_OFFSET, (byte) WireFormat.FLAG_AUTHENTICATED);
        assertThat(auth.verify(flagged)).isEqualTo(Failure.TOO_SHORT);
    }

    @Test
    void aLongEnoughDatagramWithTheFlagClearIsNotSigned() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        ByteBuffer d = datagram(0, FrameAuthenticator.TRAILER_LENGTH + 5);
        assertThat(auth.verify(d)).isEqualTo(Failure.NOT_SIGNED);
        assertThat(d.limit()).isEqualTo(WireFormat.HEADER_LENGTH + FrameAuthenticator.TRAILER_LENGTH + 5);
    }

    @Test
    void verifiesTheBytesFromThePositionNotFromTheStartOfTheBuffer() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        ByteBuffer d = signed(auth, 40, 12);
        assertThat(d.position()).isEqualTo(40);
        assertThat(auth.verify(d)).isNull();
        assertThat(d.position()).isEqualTo(40);
        assertThat(d.limit()).isEqualTo(40 + 32);

        ByteBuffer headerOnlyAtOffset = signed(auth, 40, 0);
        assertThat(auth.verify(headerOnlyAtOffset.duplicate().limit(40 + MIN_SIGNED - 1))).isEqualTo(Failure.TOO_SHORT);
        assertThat(auth.verify(headerOnlyAtOffset)).isNull();

        ByteBuffer plainAtOffset = datagram(40, 0);
        plainAtOffset.put(WireFormat.FLAGS_OFFSET, (byte) 1); // a flag before the position is not this datagram's
        assertThat(auth.verify(plainAtOffset)).as("flag read at the position").isEqualTo(Failure.NOT_SIGNED);
    }

    @Test
    void aChangedLastMacByteIsABadMacAndTheDatagramIsLeftAsItWas() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        ByteBuffer d = signed(auth, 0, 8);
        int last = d.limit() - 1;
        d.put(last, (byte) (d.get(last) ^ 0x80));
        int limit = d.limit();

        assertThat(auth.verify(d)).isEqualTo(Failure.BAD_MAC);
        assertThat(d.position()).isZero();
        assertThat(d.limit()).isEqualTo(limit);
        d.put(last, (byte) (d.get(last) ^ 0x80));
        assertThat(auth.verify(d)).as("restored").isNull();
    }

    @Test
    void aKeyIdNotConfiguredIsAnUnknownKeyAndKeyIdsAboveOneHundredTwentySevenWork() {
        FrameAuthenticator signer = new FrameAuthenticator(Map.of(200, KEY_A), 200);
        ByteBuffer d = signed(signer, 0, 4);
        assertThat(d.get(d.limit() - FrameAuthenticator.TRAILER_LENGTH)).isEqualTo((byte) 200);
        assertThat(new FrameAuthenticator(Map.of(1, KEY_A), 1).verify(d.duplicate())).isEqualTo(Failure.UNKNOWN_KEY);
        assertThat(signer.verify(d)).isNull();
    }

    @Test
    void everyConfiguredKeyIsAcceptedAndOnlyTheSendKeySigns() {
        FrameAuthenticator oldKey = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        FrameAuthenticator rotating = new FrameAuthenticator(Map.of(1, KEY_A, 2, KEY_B), 2);
        FrameAuthenticator newKey = new FrameAuthenticator(Map.of(2, KEY_B), 2);

        assertThat(rotating.verify(signed(oldKey, 0, 4))).isNull();
        assertThat(rotating.verify(signed(newKey, 0, 4))).isNull();
        ByteBuffer byRotating = signed(rotating, 0, 4);
        assertThat(byRotating.get(byRotating.limit() - FrameAuthenticator.TRAILER_LENGTH)).isEqualTo((byte) 2);
        assertThat(newKey.verify(byRotating.duplicate())).isNull();
        assertThat(oldKey.verify(byRotating.duplicate())).isEqualTo(Failure.UNKNOWN_KEY);

        ByteBuffer forged = signed(oldKey, 0, 4);
        forged.put(forged.limit() - FrameAuthenticator.TRAILER_LENGTH, (byte) 2); // claims key 2, MAC of key 1
        assertThat(rotating.verify(forged)).isEqualTo(Failure.BAD_MAC);
    }

    @Test
    void keyIdsOutsideZeroTo255AndASendKeyThatIsNotConfiguredAreRejected() {
        assertThatThrownBy(() -> new FrameAuthenticator(Map.of(1, KEY_A), 2)).hasMessageContaining("send key id 2");
        assertThatThrownBy(() -> new FrameAuthenticator(Map.of(256, KEY_A), 256)).hasMessageContaining("256");
        assertThatThrownBy(() -> new FrameAuthenticator(Map.of(-1, KEY_A), -1)).hasMessageContaining("-1");
        assertThat(new FrameAuthenticator(Map.of(255, KEY_A, 0, KEY_B), 0).verify(
                signed(new FrameAuthenticator(Map.of(255, KEY_A), 255), 0, 1))).isNull();
    }

    @Test
    void strippingWithoutAKeyCutsTheTrailerOfAFlaggedDatagramOfAtLeastHeaderPlusTrailer() {
        FrameAuthenticator auth = new FrameAuthenticator(Map.of(1, KEY_A), 1);
        ByteBuffer headerOnly = signed(auth, 0, 0);
        FrameAuthenticator.stripUnverified(headerOnly);
        assertThat(headerOnly.limit()).isEqualTo(WireFormat.HEADER_LENGTH);

        ByteBuffer cut = signed(auth, 0, 0).limit(MIN_SIGNED - 1);
        FrameAuthenticator.stripUnverified(cut);
        assertThat(cut.limit()).as("too short to hold a trailer").isEqualTo(MIN_SIGNED - 1);

        ByteBuffer plain = datagram(0, 30);
        FrameAuthenticator.stripUnverified(plain);
        assertThat(plain.limit()).as("not flagged").isEqualTo(50);

        ByteBuffer cutAtOffset = signed(auth, 40, 0);
        cutAtOffset.limit(40 + MIN_SIGNED - 1);
        FrameAuthenticator.stripUnverified(cutAtOffset);
        assertThat(cutAtOffset.limit()).as("too short, counted from the position").isEqualTo(40 + MIN_SIGNED - 1);

        ByteBuffer atOffset = signed(auth, 40, 0);
        FrameAuthenticator.stripUnverified(atOffset);
        assertThat(atOffset.limit()).isEqualTo(40 + WireFormat.HEADER_LENGTH);
    }
}
