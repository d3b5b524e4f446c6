package io.reliablemsg;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counters of a messenger at one moment: totals over all peers, plus what belongs to no peer.
 *
 * <p>A final class with accessors rather than a record, so that a counter can be added in a later
 * release without breaking code that reads these. Built with {@link #builder}.
 */
public final class MessengerStats {
    private final int pending;
    private final int capacity;
    private final long sent;
    private final long retransmitted;
    private final long acked;
    private final long failed;
    private final long delivered;
    private final long duplicates;
    private final long staleMessagesDropped;
    private final long staleAcksDropped;
    private final long outsideWindowDropped;
    private final long deliveryRejected;
    private final long malformedDropped;
    private final long unknownSourceDropped;
    private final long handlerErrors;
    private final int deliveryQueueDepth;
    private final long clientIdConflicts;
    private final long requestsSent;
    private final long repliesReceived;
    private final long requestsHandled;
    private final long fragmentsSent;
    private final long fragmentsRetransmitted;
    private final long reassemblyRefusals;
    private final long cachedReplies;
    private final long cachedReplyBytes;
    private final long replyCacheEvictions;
    private final long transportSendDrops;
    private final long authenticationFailures;
    private final long chainFullRejections;
    private final Map<String, PeerStats> peers;

    private MessengerStats(Builder b) {
        this.pending = b.pending;
        this.capacity = b.capacity;
        this.sent = b.sent;
        this.retransmitted = b.retransmitted;
        this.acked = b.acked;
        this.failed = b.failed;
        this.delivered = b.delivered;
        this.duplicates = b.duplicates;
        this.staleMessagesDropped = b.staleMessagesDropped;
        this.staleAcksDropped = b.staleAcksDropped;
        this.outsideWindowDropped = b.outsideWindowDropped;
        this.deliveryRejected = b.deliveryRejected;
        this.malformedDropped = b.malformedDropped;
        this.unknownSourceDropped = b.unknownSourceDropped;
        this.handlerErrors = b.handlerErrors;
        this.deliveryQueueDepth = b.deliveryQueueDepth;
        this.clientIdConflicts = b.clientIdConflicts;
        this.requestsSent = b.requestsSent;
        this.repliesReceived = b.repliesReceived;
        this.requestsHandled = b.requestsHandled;
        this.fragmentsSent = b.fragmentsSent;
        this.fragmentsRetransmitted = b.fragmentsRetransmitted;
        this.reassemblyRefusals = b.reassemblyRefusals;
        this.cachedReplies = b.cachedReplies;
        this.cachedReplyBytes = b.cachedReplyBytes;
        this.replyCacheEvictions = b.replyCacheEvictions;
        this.transportSendDrops = b.transportSendDrops;
        this.authenticationFailures = b.authenticationFailures;
        this.chainFullRejections = b.chainFullRejections;
        this.peers = Collections.unmodifiableMap(new LinkedHashMap<>(b.peers));
    }

    /** A builder of a snapshot; counters not set are zero. For the library, and for tests that need a stats value. */
    public static Builder builder() {
        return new Builder();
    }

    /** Messages held now (on the chain, or failed or acked and awaiting their callback). */
    public int pending() {
        return pending;
    }

    /** Chain capacity ({@code maxStoredMessages}). */
    public int capacity() {
        return capacity;
    }

    /** {@link PeerStats#sent()}, summed over peers. */
    public long sent() {
        return sent;
    }

    /** {@link PeerStats#retransmitted()}, summed over peers. */
    public long retransmitted() {
        return retransmitted;
    }

    /** {@link PeerStats#acked()}, summed over peers. */
    public long acked() {
        return acked;
    }

    /** {@link PeerStats#failed()}, summed over peers. */
    public long failed() {
        return failed;
    }

    /** {@link PeerStats#delivered()}, summed over peers. */
    public long delivered() {
        return delivered;
    }

    /** {@link PeerStats#duplicates()}, summed over peers. */
    public long duplicates() {
        return duplicates;
    }

    /** {@link PeerStats#staleMessagesDropped()}, summed over peers. */
    public long staleMessagesDropped() {
        return staleMessagesDropped;
    }

    /** {@link PeerStats#staleAcksDropped()}, summed over peers. */
    public long staleAcksDropped() {
        return staleAcksDropped;
    }

    /** {@link PeerStats#outsideWindowDropped()}, summed over peers. */
    public long outsideWindowDropped() {
        return outsideWindowDropped;
    }

    /** {@link PeerStats#deliveryRejected()}, summed over peers. */
    public long deliveryRejected() {
        return deliveryRejected;
    }

    /** Datagrams that failed validation (bad magic, version, length, ...). */
    public long malformedDropped() {
        return malformedDropped;
    }

    /** Datagrams from addresses that are not configured peers. */
    public long unknownSourceDropped() {
        return unknownSourceDropped;
    }

    /** Exceptions thrown by the inbound handler, failure listener or ack listener. */
    public long handlerErrors() {
        return handlerErrors;
    }

    /**
     * Messages received and acked-to-be, waiting for the inbound handler now (at most
     * {@link MessengerConfig#deliveryQueueCapacity()}; beyond it a message is refused, not acked, and
     * counted in {@link #deliveryRejected()}).
     */
    public int deliveryQueueDepth() {
        return deliveryQueueDepth;
    }

    /**
     * Datagrams from a configured peer carrying a client id that another configured peer's datagrams
     * carried first: two processes configured with one id (each such datagram counts; a warning is
     * logged at most every 10 s).
     */
    public long clientIdConflicts() {
        return clientIdConflicts;
    }

    /** {@link PeerStats#requestsSent()}, summed over peers. */
    public long requestsSent() {
        return requestsSent;
    }

    /** {@link PeerStats#repliesReceived()}, summed over peers. */
    public long repliesReceived() {
        return repliesReceived;
    }

    /** {@link PeerStats#requestsHandled()}, summed over peers. */
    public long requestsHandled() {
        return requestsHandled;
    }

    /** {@link PeerStats#fragmentsSent()}, summed over peers. */
    public long fragmentsSent() {
        return fragmentsSent;
    }

    /** {@link PeerStats#fragmentsRetransmitted()}, summed over peers. */
    public long fragmentsRetransmitted() {
        return fragmentsRetransmitted;
    }

    /** {@link PeerStats#reassemblyRefusals()}, summed over peers. */
    public long reassemblyRefusals() {
        return reassemblyRefusals;
    }

    /** Replies held now for resending to duplicate requests (docs/PROTOCOL.md, section 9). */
    public long cachedReplies() {
        return cachedReplies;
    }

    /** Bytes the cached replies are charged now, out of {@link MessengerConfig#replyCacheBytes()}. */
    public long cachedReplyBytes() {
        return cachedReplyBytes;
    }

    /** Cached replies dropped before their hold time ended to make room for a newer one. */
    public long replyCacheEvictions() {
        return replyCacheEvictions;
    }

    /** Datagrams the socket refused because its send buffer was full. */
    public long transportSendDrops() {
        return transportSendDrops;
    }

    /** Datagrams dropped because their MAC was missing, unknown or wrong. */
    public long authenticationFailures() {
        return authenticationFailures;
    }

    /** Sends refused because the chain was full. */
    public long chainFullRejections() {
        return chainFullRejections;
    }

    /** Per-peer counters by peer name, configured peers first. */
    public Map<String, PeerStats> peers() {
        return peers;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MessengerStats other)) {
            return false;
        }
        return pending == other.pending
                && capacity == other.capacity
                && sent == other.sent
                && retransmitted == other.retransmitted
                && acked == other.acked
                && failed == other.failed
                && delivered == other.delivered
                && duplicates == other.duplicates
                && staleMessagesDropped == other.staleMessagesDropped
                && staleAcksDropped == other.staleAcksDropped
                && outsideWindowDropped == other.outsideWindowDropped
                && deliveryRejected == other.deliveryRejected
                && malformedDropped == other.malformedDropped
                && unknownSourceDropped == other.unknownSourceDropped
                && handlerErrors == other.handlerErrors
                && deliveryQueueDepth == other.deliveryQueueDepth
                && clientIdConflicts == other.clientIdConflicts
                && requestsSent == other.requestsSent
                && repliesReceived == other.repliesReceived
                && requestsHandled == other.requestsHandled
                && fragmentsSent == other.fragmentsSent
                && fragmentsRetransmitted == other.fragmentsRetransmitted
                && reassemblyRefusals == other.reassemblyRefusals
                && cachedReplies == other.cachedReplies
                && cachedReplyBytes == other.cachedReplyBytes
                && replyCacheEvictions == other.replyCacheEvictions
                && transportSendDrops == other.transportSendDrops
                && authenticationFailures == other.authenticationFailures
                && chainFullRejections == other.chainFullRejections
                && Objects.equals(peers, other.peers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pending, capacity, sent, retransmitted, acked, failed, delivered, duplicates,
                staleMessagesDropped, staleAcksDropped, outsideWindowDropped, deliveryRejected, malformedDropped,
                unknownSourceDropped, handlerErrors, deliveryQueueDepth, clientIdConflicts, requestsSent, repliesReceived, requestsHandled, fragmentsSent, fragmentsRetransmitted, reassemblyRefusals, cachedReplies, cachedReplyBytes, replyCacheEvictions, transportSendDrops, authenticationFailures, chainFullRejections,
                peers);
    }

    @Override
    public String toString() {
        return "MessengerStats[" + "pending=" + pending
                + ", capacity=" + capacity
                + ", sent=" + sent
                + ", retransmitted=" + retransmitted
                + ", acked=" + acked
                + ", failed=" + failed
                + ", delivered=" + delivered
                + ", duplicates=" + duplicates
                + ", staleMessagesDropped=" + staleMessagesDropped
                + ", staleAcksDropped=" + staleAcksDropped
                + ", outsideWindowDropped=" + outsideWindowDropped
                + ", deliveryRejected=" + deliveryRejected
                + ", malformedDropped=" + malformedDropped
                + ", unknownSourceDropped=" + unknownSourceDropped
                + ", handlerErrors=" + handlerErrors
                + ", deliveryQueueDepth=" + deliveryQueueDepth
                + ", clientIdConflicts=" + clientIdConflicts
                + ", requestsSent=" + requestsSent
                + ", repliesReceived=" + repliesReceived
                + ", requestsHandled=" + requestsHandled
                + ", fragmentsSent=" + fragmentsSent
                + ", fragmentsRetransmitted=" + fragmentsRetransmitted
                + ", reassemblyRefusals=" + reassemblyRefusals
                + ", cachedReplies=" + cachedReplies
                + ", cachedReplyBytes=" + cachedReplyBytes
                + ", replyCacheEvictions=" + replyCacheEvictions
                + ", transportSendDrops=" + transportSendDrops
                + ", authenticationFailures=" + authenticationFailures
                + ", chainFullRejections=" + chainFullRejections
                + ", peers=" + peers + "]";
    }

    /** Builds a {@link MessengerStats}; one setter per counter, named like its accessor. */
    public static final class Builder {
        private int pending;
        private int capacity;
        private long sent;
        private long retransmitted;
        private long acked;
        private long failed;
        private long delivered;
        private long duplicates;
        private long staleMessagesDropped;
        private long staleAcksDropped;
        private long outsideWindowDropped;
        private long deliveryRejected;
        private long malformedDropped;
        private long unknownSourceDropped;
        private long handlerErrors;
        private int deliveryQueueDepth;
        private long clientIdConflicts;
        private long requestsSent;
        private long repliesReceived;
        private long requestsHandled;
        private long fragmentsSent;
        private long fragmentsRetransmitted;
        private long reassemblyRefusals;
        private long cachedReplies;
        private long cachedReplyBytes;
        private long replyCacheEvictions;
        private long transportSendDrops;
        private long authenticationFailures;
        private long chainFullRejections;
        private Map<String, PeerStats> peers = Map.of();

        private Builder() {
        }

        /** Sets {@link MessengerStats#pending()}. */
        public Builder pending(int value) {
            this.pending = value;
            return this;
        }

        /** Sets {@link MessengerStats#capacity()}. */
        public Builder capacity(int value) {
            this.capacity = value;
            return this;
        }

        /** Sets {@link MessengerStats#sent()}. */
        public Builder sent(long value) {
            this.sent = value;
            return this;
        }

        /** Sets {@link MessengerStats#retransmitted()}. */
        public Builder retransmitted(long value) {
            this.retransmitted = value;
            return this;
        }

        /** Sets {@link MessengerStats#acked()}. */
        public Builder acked(long value) {
            this.acked = value;
            return this;
        }

        /** Sets {@link MessengerStats#failed()}. */
        public Builder failed(long value) {
            this.failed = value;
            return this;
        }

        /** Sets {@link MessengerStats#delivered()}. */
        public Builder delivered(long value) {
            this.delivered = value;
            return this;
        }

        /** Sets {@link MessengerStats#duplicates()}. */
        public Builder duplicates(long value) {
            this.duplicates = value;
            return this;
        }

        /** Sets {@link MessengerStats#staleMessagesDropped()}. */
        public Builder staleMessagesDropped(long value) {
            this.staleMessagesDropped = value;
            return this;
        }

        /** Sets {@link MessengerStats#staleAcksDropped()}. */
        public Builder staleAcksDropped(long value) {
            this.staleAcksDropped = value;
            return this;
        }

        /** Sets {@link MessengerStats#outsideWindowDropped()}. */
        public Builder outsideWindowDropped(long value) {
            this.outsideWindowDropped = value;
            return this;
        }

        /** Sets {@link MessengerStats#deliveryRejected()}. */
        public Builder deliveryRejected(long value) {
            this.deliveryRejected = value;
            return this;
        }

        /** Sets {@link MessengerStats#malformedDropped()}. */
        public Builder malformedDropped(long value) {
            this.malformedDropped = value;
            return this;
        }

        /** Sets {@link MessengerStats#unknownSourceDropped()}. */
        public Builder unknownSourceDropped(long value) {
            this.unknownSourceDropped = value;
            return this;
        }

        /** Sets {@link MessengerStats#clientIdConflicts()}. */
        public Builder clientIdConflicts(long value) {
            this.clientIdConflicts = value;
            return this;
        }

        /** Sets {@link MessengerStats#requestsSent()}. */
        public Builder requestsSent(long value) {
            this.requestsSent = value;
            return this;
        }

        /** Sets {@link MessengerStats#repliesReceived()}. */
        public Builder repliesReceived(long value) {
            this.repliesReceived = value;
            return this;
        }

        /** Sets {@link MessengerStats#requestsHandled()}. */
        public Builder requestsHandled(long value) {
            this.requestsHandled = value;
            return this;
        }

        /** Sets {@link MessengerStats#fragmentsSent()}. */
        public Builder fragmentsSent(long value) {
            this.fragmentsSent = value;
            return this;
        }

        /** Sets {@link MessengerStats#fragmentsRetransmitted()}. */
        public Builder fragmentsRetransmitted(long value) {
            this.fragmentsRetransmitted = value;
            return this;
        }

        /** Sets {@link MessengerStats#reassemblyRefusals()}. */
        public Builder reassemblyRefusals(long value) {
            this.reassemblyRefusals = value;
            return this;
        }

        /** Sets {@link MessengerStats#cachedReplies()}. */
        public Builder cachedReplies(long value) {
            this.cachedReplies = value;
            return this;
        }

        /** Sets {@link MessengerStats#cachedReplyBytes()}. */
        public Builder cachedReplyBytes(long value) {
            this.cachedReplyBytes = value;
            return this;
        }

        /** Sets {@link MessengerStats#replyCacheEvictions()}. */
        public Builder replyCacheEvictions(long value) {
            this.replyCacheEvictions = value;
            return this;
        }

        /** Sets {@link MessengerStats#deliveryQueueDepth()}. */
        public Builder deliveryQueueDepth(int value) {
            this.deliveryQueueDepth = value;
            return this;
        }

        /** Sets {@link MessengerStats#handlerErrors()}. */
        public Builder handlerErrors(long value) {
            this.handlerErrors = value;
            return this;
        }

        /** Sets {@link MessengerStats#transportSendDrops()}. */
        public Builder transportSendDrops(long value) {
            this.transportSendDrops = value;
            return this;
        }

        /** Sets {@link MessengerStats#authenticationFailures()}. */
        public Builder authenticationFailures(long value) {
            this.authenticationFailures = value;
            return this;
        }

        /** Sets {@link MessengerStats#chainFullRejections()}. */
        public Builder chainFullRejections(long value) {
            this.chainFullRejections = value;
            return this;
        }

        /** Sets {@link MessengerStats#peers()}. */
        public Builder peers(Map<String, PeerStats> value) {
            this.peers = Objects.requireNonNull(value, "peers");
            return this;
        }

        /** The snapshot. */
        public MessengerStats build() {
            return new MessengerStats(this);
        }
    }
}
