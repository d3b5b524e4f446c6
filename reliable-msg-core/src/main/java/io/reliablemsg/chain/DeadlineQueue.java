package io.reliablemsg.chain;

/**
 * The messages of one peer in deadline order. Every deadline is "last send + interval" and sends
 * happen in time order, so appending at the tail keeps the queue sorted: insert, remove and
 * "what is due" are O(1), whatever the length. Intrusive doubly linked list; not thread-safe.
 */
final class DeadlineQueue {
    private PendingMessage head;
    private PendingMessage tail;
    private int size;
    /**
     * The last message the overtaken scan ({@link RetransmitChain#nextOvertaken}) looked at, or null
     * to start at the head: the scan goes on from here, so it visits each message once per stay in
     * the queue (a retransmitted message leaves and joins again at the tail).
     */
    private PendingMessage scanned;

    /** The next message the overtaken scan has not looked at, or null. */
    PendingMessage nextUnscanned() {
        return scanned == null ? head : scanned.next;
    }

    /** The overtaken scan has looked at {@code m}, the message {@link #nextUnscanned()} returned. */
    void markScanned(PendingMessage m) {
        scanned = m;
    }

    int size() {
        return size;
    }

    PendingMessage head() {
        return head;
    }

    void append(PendingMessage m) {
        if (tail != null && m.deadlineNs < tail.deadlineNs) {
            throw new IllegalStateException("deadline " + m.deadlineNs + " before tail " + tail.deadlineNs);
        }
        m.previous = tail;
        m.next = null;
        if (tail == null) {
            head = m;
        } else {
            tail.next = m;
        }
        tail = m;
        size++;
    }

    void prepend(PendingMessage m) {
        if (head != null && m.deadlineNs > head.deadlineNs) {
            throw new IllegalStateException("deadline " + m.deadlineNs + " after head " + head.deadlineNs);
        }
        m.previous = null;
        m.next = head;
        if (head == null) {
            tail = m;
        } else {
            head.previous = m;
        }
        head = m;
        size++;
    }

    void remove(PendingMessage m) {
        if (m == scanned) {
            scanned = m.previous; // the scan goes on after whatever preceded it
        }
        if (m.previous == null) {
            head = m.next;
        } else {
            m.previous.next = m.next;
        }
        if (m.next == null) {
            tail = m.previous;
        } else {
            m.next.previous = m.previous;
        }
        m.previous = null;
        m.next = null;
        size--;
    }
}
