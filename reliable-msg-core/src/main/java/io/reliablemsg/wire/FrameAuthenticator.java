package io.reliablemsg.wire;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies datagrams with HMAC-SHA256 (JDK {@code javax.crypto}), truncated to 16 bytes.
 *
 * <pre>
 * authentication trailer (17 bytes), after the last frame, present when header flags bit 0 is set
 *  0 key id (u8)
 *  1 HMAC-SHA256(key, header with flag set + frames)[0..16)
 * </pre>
 *
 * Several keys may be configured at once, each with an id: datagrams are signed with the send key
 * and accepted under any configured key, so keys rotate without downtime (add the new key
 * everywhere, then switch the send key, then remove the old one). Key bytes are never logged.
 * Not thread-safe (one instance per I/O loop); allocation-free after construction.
 */
public final class FrameAuthenticator {
    /** Bytes the trailer adds to a datagram. */
    public static final int TRAILER_LENGTH = 17;
    /** Bytes of the truncated MAC. */
    public static final int MAC_LENGTH = 16;

    /** Why a datagram failed verification. */
    public enum Failure { NOT_SIGNED, TOO_SHORT, UNKNOWN_KEY, BAD_MAC }

    private final Mac[] macs = new Mac[256];
    private final int sendKeyId;
    private final byte[] scratch = new byte[32];

    /** Keys by id (0-255); {@code sendKeyId} must be one of them. */
    public FrameAuthenticator(Map<Integer, byte[]> keys, int sendKeyId) {
        if (!keys.containsKey(sendKeyId)) {
            throw new IllegalArgumentException("send key id " + sendKeyId + " is not among the configured key ids "
                    + keys.keySet());
        }
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            int id = e.getKey();
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("key id must be in [0, 255] but was " + id);
            }
            macs[id] = newMac(e.getValue());
        }
        this.sendKeyId = sendKeyId;
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Sets the authenticated flag on {@code datagram} (position 0, limit at the end of its last
     * frame) and appends the trailer, moving the limit. The buffer needs {@link #TRAILER_LENGTH}
     * bytes of room beyond the limit.
     */
    public void sign(ByteBuffer datagram) {
        int end = datagram.limit();
        datagram.put(WireFormat.FLAGS_OFFSET, (byte) (datagram.get(WireFormat.FLAGS_OFFSET) | WireFormat.FLAG_AUTHENTICATED));
        Mac mac = macs[sendKeyId];
        int position = datagram.position();
        mac.update(datagram);
        datagram.position(position);
        finish(mac);
        datagram.limit(end + TRAILER_LENGTH);
        datagram.put(end, (byte) sendKeyId);
        datagram.put(end + 1, scratch, 0, MAC_LENGTH);
    }

    /**
     * Checks the trailer of {@code datagram} (between position and limit) and, when it verifies,
     * moves the limit back to exclude it. Returns null on success, otherwise why it failed (the
     * buffer is then left as it was).
     */
    public Failure verify(ByteBuffer datagram) {
        int start = datagram.position();
        int end = datagram.limit();
        if (end - start < WireFormat.HEADER_LENGTH + TRAILER_LENGTH) {
            return (end - start >= WireFormat.HEADER_LENGTH && !flagged(datagram, start)) ? Failure.NOT_SIGNED
                    : Failure.TOO_SHORT;
        }
        if (!flagged(datagram, start)) {
            return Failure.NOT_SIGNED;
        }
        int trailer = end - TRAILER_LENGTH;
        Mac mac = macs[Byte.toUnsignedInt(datagram.get(trailer))];
        if (mac == null) {
            return Failure.UNKNOWN_KEY;
        }
        datagram.limit(trailer);
        mac.update(datagram);
        datagram.position(start);
        datagram.limit(end);
        finish(mac);
        int difference = 0;
        for (int i = 0; i < MAC_LENGTH; i++) { // constant time: no early exit on the first wrong byte
            difference |= scratch[i] ^ datagram.get(trailer + 1 + i);
        }
        if (difference != 0) {
            return Failure.BAD_MAC;
        }
        datagram.limit(trailer);
        return null;
    }

    /** Removes a trailer without checking it (used when no key is configured). */
    public static void stripUnverified(ByteBuffer datagram) {
        int start = datagram.position();
        if (datagram.limit() - start >= WireFormat.HEADER_LENGTH + TRAILER_LENGTH && flagged(datagram, start)) {
            datagram.limit(datagram.limit() - TRAILER_LENGTH);
        }
    }

    private static boolean flagged(ByteBuffer datagram, int start) {
        return (datagram.get(start + WireFormat.FLAGS_OFFSET) & WireFormat.FLAG_AUTHENTICATED) != 0;
    }

    private void finish(Mac mac) {
        try {
            mac.doFinal(scratch, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
