package io.reliablemsg.internal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 *
 * <p>A sender may wait for room ({@link #awaitRoom}). It is woken once an eighth of the slots (at least one) is
 * free again, not at every release: at a high rate a waiting sender then sends a run of messages per wake-up
 * instead of one, which saves a thread wake-up per ack (docs/PERFORMANCE.md, "Waiting for room").
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
    /** {@link #awaitRoom} returns once at most this many slots are held. */
    private final int lowWater;
    /** {@link #awaitRoom} also waits for at most this many payload bytes held: the byte bound less an eighth. */
    private long bytesLowWater = Long.MAX_VALUE;
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();
    /** Accounts by index; replaced, never changed in place, so readers need no lock. */
    private volatile Account[] accounts = new Account[0];

    /** {@code capacity} slots shared by the peers. */
    public SendSlots(int capacity) {
        this.capacity = capacity;
        this.lowWater = capacity - Math.max(1, capacity / 8);
    }

    /** {@code capacity} slots and at most {@code maxBytes} payload bytes held at once. */
    public SendSlots(int capacity, long maxBytes) {
        this(capacity);
        this.maxBytes = maxBytes;
        this.bytesLowWater = maxBytes - maxBytes / 8;
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
        if (heldBytes.addAndGet(-bytes) <= bytesLowWater && waiters.get() > 0 && held.get() <= lowWater) {
            signalRoom();
        }
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
        if (held.decrementAndGet() <= lowWater && waiters.get() > 0 && heldBytes.get() <= bytesLowWater) {
            signalRoom();
        }
    }

    /**
     * Waits until at most {@link #lowWater()} slots and an eighth less than the byte bound are held, or until
     * {@code deadlineNs} ({@code System.nanoTime()}); returns whether there is that much room. When there already
     * is (the refusal had another cause: a payload too large for what is left of the byte bound), waits for the
     * next release that leaves that much room, or a millisecond. Thread-safe.
     */
    public boolean awaitRoom(long deadlineNs) throws InterruptedException {
        waiters.incrementAndGet();
        roomLock.lock();
        try {
            long left = deadlineNs - System.nanoTime();
            if (roomy()) { // refused for another cause: the next release that leaves room, or a millisecond
                return left <= 0 || room.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1))) > 0 || roomy();
            }
            while (!roomy() && left > 0) {
                left = room.awaitNanos(left);
            }
            return roomy();
        } finally {
            roomLock.unlock();
            waiters.decrementAndGet();
        }
    }

    /** Slots held when {@link #awaitRoom} wakes its waiters: capacity less an eighth (at least one). */
    public int lowWater() {
        return lowWater;
    }

    private boolean roomy() {
        return held.get() <= lowWater && heldBytes.get() <= bytesLowWater;
    }

    private void signalRoom() {
        roomLock.lock();
        try {
            room.signalAll();
        } finally {
            roomLock.unlock();
        }
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
