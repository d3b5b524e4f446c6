package io.reliablemsg.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chain's capacity as send slots: a send reserves one before its message is accepted, and the
 * slot is freed only once the message's outcome has been reported (after the ack listener or the
 * failure listener ran), so that outcomes waiting for a slow listener still count against the
 * sender's capacity and nothing waiting can grow without bound. Thread-safe: reserved by sending
 * threads, released by the I/O loop or the callback thread. Internal: not API.
 *
 * <p>Slots are counted per peer too, in the peer's {@link Account}, which also gives the peer its
 * index on the chain. A removed peer's account is closed: no reservation succeeds on it any more, so
 * a sender that looked the peer up just before the removal is refused rather than reaching whichever
 * peer comes next. Its index is given to a new peer only once the account holds nothing: by then no
 * message with that index exists anywhere (queued, on the chain, or waiting for its listener).
 */
public final class SendSlots {
    /** The slots one peer holds, and its index on the chain. Thread-safe. */
    public static final class Account {
        private static final int CLOSED = Integer.MIN_VALUE;

        private final int index;
        /** Slots held, with the sign bit set once closed. */
        private final AtomicInteger state = new AtomicInteger();

        private Account(int index) {
            this.index = index;
        }

        /** The peer's index on the chain. */
        public int index() {
            return index;
        }

        /** Whether the peer was removed: no reservation succeeds any more. */
        public boolean closed() {
            return state.get() < 0;
        }

        /** Slots this peer holds now. */
        public int held() {
            return state.get() & Integer.MAX_VALUE;
        }
    }

    private final int capacity;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong rejections = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();
    private long maxBytes = Long.MAX_VALUE;
    /** Accounts by index; replaced, never changed in place, so readers need no lock. */
    private volatile Account[] accounts = new Account[0];

    /** {@code capacity} slots shared by the peers. */
    public SendSlots(int capacity) {
        this.capacity = capacity;
    }

    /** {@code capacity} slots and at most {@code maxBytes} payload bytes held at once. */
    public SendSlots(int capacity, long maxBytes) {
        this(capacity);
        this.maxBytes = maxBytes;
    }

    /**
     * Reserves {@code bytes} of payload, or returns false (counted as a rejection) when that would exceed the
     * bound; released by {@link #releaseBytes} when the message leaves the chain. Thread-safe.
     */
    public boolean tryReserveBytes(long bytes) {
        long now;
        do {
            now = heldBytes.get();
            if (now + bytes > maxBytes) {
                rejections.incrementAndGet();
                return false;
            }
        } while (!heldBytes.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back {@code bytes} reserved by {@link #tryReserveBytes}. */
    public void releaseBytes(long bytes) {
        heldBytes.addAndGet(-bytes);
    }

    /** Payload bytes reserved now. */
    public long heldBytes() {
        return heldBytes.get();
    }

    /**
     * A new account: at the lowest index whose peer was removed and holds nothing, or a new index
     * after the last one.
     */
    public synchronized Account open() {
        Account[] now = accounts;
        int index = now.length;
        for (int i = 0; i < now.length; i++) {
            if (now[i].closed() && now[i].held() == 0) {
                index = i;
                break;
            }
        }
        Account[] next = Arrays.copyOf(now, Math.max(now.length, index + 1));
        next[index] = new Account(index);
        accounts = next;
        return next[index];
    }

    /** Closes {@code account}: its peer was removed. What it holds is still released as usual. */
    public void close(Account account) {
        account.state.getAndUpdate(s -> s | Account.CLOSED);
    }

    /**
     * Takes a slot for a message to the peer of {@code account}; false when every slot is held
     * (counted in {@link #rejections()}) or the account is closed (not counted).
     */
    public boolean tryReserve(Account account) {
        int mine;
        do {
            mine = account.state.get();
            if (mine < 0) {
                return false;
            }
        } while (!account.state.compareAndSet(mine, mine + 1));
        int now;
        do {
            now = held.get();
            if (now >= capacity) {
                account.state.decrementAndGet();
                rejections.incrementAndGet();
                return false;
            }
        } while (!held.compareAndSet(now, now + 1));
        return true;
    }

    /** Frees a slot of the peer at {@code index}: its message's outcome has been reported. */
    public void release(int index) {
        accounts[index].state.decrementAndGet();
        held.decrementAndGet();
    }

    /** Slots held now over all peers. */
    public int held() {
        return held.get();
    }

    /** Slots in all. */
    public int capacity() {
        return capacity;
    }

    /** Reservations refused because every slot was held. */
    public long rejections() {
        return rejections.get();
    }
}
