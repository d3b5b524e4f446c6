package io.reliablemsg;

import java.util.List;
import java.util.Objects;

/**
 * Counters of one peer at one moment. Counters only grow; {@code pending} is the chain depth now.
 *
 * <p>A final class with accessors rather than a record, so that a counter can be added in a later
 * release without breaking code that reads these (a record's canonical constructor and its
 * deconstruction pattern would change with every new component). Built with {@link #builder}.
 */
public final class PeerStats {
    private final String name;
    private final String address;
    private final int pending;
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
    private final long unmatchedAcks;
    private final boolean reachable;
    private final long malformedDropped;
    private final long authenticationFailures;
    private final long failedAtShutdown;
    private final Integer protocolRevision;
    private final Long features;
    private final long capabilityProbesSent;
    private final long capabilityAnswersSent;
    private final long capabilitiesReceived;
    private final long unknownFramesSkipped;
    private final long failoverCopies;
    private final long fastRetransmits;
    private final long fragmentsSent;
    private final long fragmentsRetransmitted;
    private final long reassemblyRefusals;
    private final long fragmentsDropped;
    private final long requestsSent;
    private final long repliesReceived;
    private final long requestsHandled;
    private final long repliesSent;
    private final List<PathStats> paths;
    private final Long clockOffsetMillis;
    private final long noAddressDrops;
    private final boolean unresolved;

    private PeerStats(Builder b) {
        this.name = b.name;
        this.address = b.address;
        this.pending = b.pending;
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
        this.unmatchedAcks = b.unmatchedAcks;
        this.reachable = b.reachable;
        this.malformedDropped = b.malformedDropped;
        this.authenticationFailures = b.authenticationFailures;
        this.failedAtShutdown = b.failedAtShutdown;
        this.protocolRevision = b.protocolRevision;
        this.features = b.features;
        this.capabilityProbesSent = b.capabilityProbesSent;
        this.capabilityAnswersSent = b.capabilityAnswersSent;
        this.capabilitiesReceived = b.capabilitiesReceived;
        this.unknownFramesSkipped = b.unknownFramesSkipped;
        this.failoverCopies = b.failoverCopies;
        this.fastRetransmits = b.fastRetransmits;
        this.fragmentsSent = b.fragmentsSent;
        this.fragmentsRetransmitted = b.fragmentsRetransmitted;
        this.reassemblyRefusals = b.reassemblyRefusals;
        this.fragmentsDropped = b.fragmentsDropped;
        this.requestsSent = b.requestsSent;
        this.repliesReceived = b.repliesReceived;
        this.requestsHandled = b.requestsHandled;
        this.repliesSent = b.repliesSent;
        this.paths = List.copyOf(b.paths);
        this.clockOffsetMillis = b.clockOffsetMillis;
        this.noAddressDrops = b.noAddressDrops;
        this.unresolved = b.unresolved;
    }

    /**
     * A builder of a snapshot; counters not set are zero. For the library, and for tests that need a stats
     * value.
     */
    public static Builder builder(String name, String address) {
        return new Builder(name, address);
    }

    /** Peer name ("host:port" for an accepted unknown source). */
    public String name() {
        return name;
    }

    /** Peer address as configured (resolved) or seen, as host:port. */
    public String address() {
        return address;
    }

    /** Messages to this peer held now: on the chain, or failed or acked and awaiting their callback. */
    public int pending() {
        return pending;
    }

    /** Messages accepted by {@code send} and put on the wire. */
    public long sent() {
        return sent;
    }

    /** Retransmissions (rule S4). */
    public long retransmitted() {
        return retransmitted;
    }

    /** Messages acked. */
    public long acked() {
        return acked;
    }

    /** Messages given up (rule S5), for any reason. */
    public long failed() {
        return failed;
    }

    /** Messages from this peer handed to the inbound handler. */
    public long delivered() {
        return delivered;
    }

    /** Duplicate messages from this peer, re-acked and not delivered (rule S8). */
    public long duplicates() {
        return duplicates;
    }

    /** Messages older than interval + skew allowance, dropped unacked (rule S6). */
    public long staleMessagesDropped() {
        return staleMessagesDropped;
    }

    /** Acks whose echoed send time is older than the interval, dropped (rule S9). */
    public long staleAcksDropped() {
        return staleAcksDropped;
    }

    /** Messages whose id fell below the duplicate window, dropped unacked. */
    public long outsideWindowDropped() {
        return outsideWindowDropped;
    }

    /** Messages not acked because the delivery queue was full (back-pressure). */
    public long deliveryRejected() {
        return deliveryRejected;
    }

    /**
     * Acks for no pending message (late re-acks, including the receiver's repeats of acks already taken while
     * the link loses acks, docs/PROTOCOL.md "Repeated acks"; another incarnation's). Counted, nothing else.
     */
    public long unmatchedAcks() {
        return unmatchedAcks;
    }

    /**
     * Whether the peer looks reachable: false after a message to it failed, or (with heartbeats on) after
     * it left maxRetries + 1 pings in a row unanswered; true again on the next ack or pong.
     */
    public boolean reachable() {
        return reachable;
    }

    /** Datagrams from this peer's address that failed validation. */
    public long malformedDropped() {
        return malformedDropped;
    }

    /** Datagrams from this peer's address with a missing, unknown or wrong MAC. */
    public long authenticationFailures() {
        return authenticationFailures;
    }

    /** Of {@code failed}, those failed because the messenger closed. */
    public long failedAtShutdown() {
        return failedAtShutdown;
    }

    /**
     * Protocol revision the peer's current incarnation reads (docs/PROTOCOL.md, "Wire evolution"): 2 or
     * later as it advertised, 1 when it answered no capability probe (a first-release node), null while not
     * yet known.
     */
    public Integer protocolRevision() {
        return protocolRevision;
    }

    /**
     * Feature bits the peer's current incarnation advertised, or null when it advertised none (revision 1
     * or not yet known).
     */
    public Long features() {
        return features;
    }

    /** CAPABILITIES probes sent to this peer (at most maxRetries + 1 per incarnation of the peer). */
    public long capabilityProbesSent() {
        return capabilityProbesSent;
    }

    /** CAPABILITIES answers sent to this peer's probes. */
    public long capabilityAnswersSent() {
        return capabilityAnswersSent;
    }

    /** CAPABILITIES frames received from this peer. */
    public long capabilitiesReceived() {
        return capabilitiesReceived;
    }

    /** Optional frames of types this release does not know, skipped (a later revision wrote them). */
    public long unknownFramesSkipped() {
        return unknownFramesSkipped;
    }

    /**
     * Copies sent at once over a new path when the one in use failed (not retransmissions: they use up no
     * retries).
     */
    public long failoverCopies() {
        return failoverCopies;
    }

    /** Requests accepted by {@code request} and put on the wire (also counted in {@link #sent()}). */
    public long requestsSent() {
        return requestsSent;
    }

    /** Replies that completed a request to this peer (a request that failed is counted in {@link #failed()}). */
    public long repliesReceived() {
        return repliesReceived;
    }

    /** Requests from this peer whose handler ran to its end, normally or not: a request handled twice would count twice. */
    public long requestsHandled() {
        return requestsHandled;
    }

    /** REPLY frames sent to this peer, resends of a cached reply to a duplicate request included. */
    public long repliesSent() {
        return repliesSent;
    }

    /**
     * Early copies sent before a message's timer because an ack for a message sent later came first
     * (fast retransmission), and probes of a fragmented message's missing fragments sent when its fragment acks
     * stopped (docs/PROTOCOL.md, section 12); not counted in {@link #retransmitted()}: they use up no retries.
     */
    public long fastRetransmits() {
        return fastRetransmits;
    }

    /** FRAGMENT frames sent, first copies and retransmissions (docs/PROTOCOL.md, section 12). */
    public long fragmentsSent() {
        return fragmentsSent;
    }

    /** FRAGMENT frames sent again because a copy of their message was due and they were not acked. */
    public long fragmentsRetransmitted() {
        return fragmentsRetransmitted;
    }

    /** Fragments of a new message refused, unacked, because the reassembly memory ({@code reassemblyBytes}) was full. */
    public long reassemblyRefusals() {
        return reassemblyRefusals;
    }

    /** Fragments dropped: of a message larger than {@code maxMessageSize}, or disagreeing with the others of their message. */
    public long fragmentsDropped() {
        return fragmentsDropped;
    }

    /**
     * The peer's paths (one per address, in preference order) with their state, round trip and counters;
     * one path for a peer with one address.
     */
    public List<PathStats> paths() {
        return paths;
    }

    /**
     * Estimated offset of the peer's wall clock against ours in ms (positive: the peer is ahead), from the
     * timestamps of its acks and pongs; null before the first sample. The age check (rule S6) tolerates up
     * to {@code clockSkewAllowance}.
     */
    public Long clockOffsetMillis() {
        return clockOffsetMillis;
    }

    /**
     * Copies of messages to this peer not sent because it had no address (none of its host names
     * resolved); each such message is retransmitted, and fails, as usual.
     */
    public long noAddressDrops() {
        return noAddressDrops;
    }

    /**
     * Whether the peer has no address now: it was given by host names and none of them resolved (yet).
     * Sends to it are accepted and retried; nothing goes out until a name resolves.
     */
    public boolean unresolved() {
        return unresolved;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PeerStats other)) {
            return false;
        }
        return Objects.equals(name, other.name)
                && Objects.equals(address, other.address)
                && pending == other.pending
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
                && unmatchedAcks == other.unmatchedAcks
                && reachable == other.reachable
                && malformedDropped == other.malformedDropped
                && authenticationFailures == other.authenticationFailures
                && failedAtShutdown == other.failedAtShutdown
                && Objects.equals(protocolRevision, other.protocolRevision)
                && Objects.equals(features, other.features)
                && capabilityProbesSent == other.capabilityProbesSent
                && capabilityAnswersSent == other.capabilityAnswersSent
                && capabilitiesReceived == other.capabilitiesReceived
                && unknownFramesSkipped == other.unknownFramesSkipped
                && failoverCopies == other.failoverCopies
                && fastRetransmits == other.fastRetransmits
                && fragmentsSent == other.fragmentsSent
                && fragmentsRetransmitted == other.fragmentsRetransmitted
                && reassemblyRefusals == other.reassemblyRefusals
                && fragmentsDropped == other.fragmentsDropped
                && requestsSent == other.requestsSent
                && repliesReceived == other.repliesReceived
                && requestsHandled == other.requestsHandled
                && repliesSent == other.repliesSent
                && Objects.equals(paths, other.paths)
                && Objects.equals(clockOffsetMillis, other.clockOffsetMillis)
                && noAddressDrops == other.noAddressDrops
                && unresolved == other.unresolved;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, pending, sent, retransmitted, acked, failed, delivered, duplicates,
                staleMessagesDropped, staleAcksDropped, outsideWindowDropped, deliveryRejected, unmatchedAcks,
                reachable, malformedDropped, authenticationFailures, failedAtShutdown, protocolRevision, features,
                capabilityProbesSent, capabilityAnswersSent, capabilitiesReceived, unknownFramesSkipped,
                failoverCopies, fastRetransmits, fragmentsSent, fragmentsRetransmitted, reassemblyRefusals, fragmentsDropped,
                requestsSent, repliesReceived, requestsHandled, repliesSent, paths,
                clockOffsetMillis, noAddressDrops, unresolved);
    }

    @Override
    public String toString() {
        return "PeerStats[" + "name=" + name
                + ", address=" + address
                + ", pending=" + pending
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
                + ", unmatchedAcks=" + unmatchedAcks
                + ", reachable=" + reachable
                + ", malformedDropped=" + malformedDropped
                + ", authenticationFailures=" + authenticationFailures
                + ", failedAtShutdown=" + failedAtShutdown
                + ", protocolRevision=" + protocolRevision
                + ", features=" + features
                + ", capabilityProbesSent=" + capabilityProbesSent
                + ", capabilityAnswersSent=" + capabilityAnswersSent
                + ", capabilitiesReceived=" + capabilitiesReceived
                + ", unknownFramesSkipped=" + unknownFramesSkipped
                + ", failoverCopies=" + failoverCopies
                + ", fastRetransmits=" + fastRetransmits
                + ", fragmentsSent=" + fragmentsSent
                + ", fragmentsRetransmitted=" + fragmentsRetransmitted
                + ", reassemblyRefusals=" + reassemblyRefusals
                + ", fragmentsDropped=" + fragmentsDropped
                + ", requestsSent=" + requestsSent
                + ", repliesReceived=" + repliesReceived
                + ", requestsHandled=" + requestsHandled
                + ", repliesSent=" + repliesSent
                + ", paths=" + paths
                + ", clockOffsetMillis=" + clockOffsetMillis
                + ", noAddressDrops=" + noAddressDrops
                + ", unresolved=" + unresolved + "]";
    }

    /** Builds a {@link PeerStats}; one setter per counter, named like its accessor. */
    public static final class Builder {
        private String name;
        private String address;
        private int pending;
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
        private long unmatchedAcks;
        private boolean reachable;
        private long malformedDropped;
        private long authenticationFailures;
        private long failedAtShutdown;
        private Integer protocolRevision;
        private Long features;
        private long capabilityProbesSent;
        private long capabilityAnswersSent;
        private long capabilitiesReceived;
        private long unknownFramesSkipped;
        private long failoverCopies;
        private long fastRetransmits;
        private long fragmentsSent;
        private long fragmentsRetransmitted;
        private long reassemblyRefusals;
        private long fragmentsDropped;
        private long requestsSent;
        private long repliesReceived;
        private long requestsHandled;
        private long repliesSent;
        private List<PathStats> paths = List.of();
        private Long clockOffsetMillis;
        private long noAddressDrops;
        private boolean unresolved;

        private Builder(String name, String address) {
            this.name = Objects.requireNonNull(name, "name");
            this.address = Objects.requireNonNull(address, "address");
        }

        /** Sets {@link PeerStats#pending()}. */
        public Builder pending(int value) {
            this.pending = value;
            return this;
        }

        /** Sets {@link PeerStats#sent()}. */
        public Builder sent(long value) {
            this.sent = value;
            return this;
        }

        /** Sets {@link PeerStats#retransmitted()}. */
        public Builder retransmitted(long value) {
            this.retransmitted = value;
            return this;
        }

        /** Sets {@link PeerStats#acked()}. */
        public Builder acked(long value) {
            this.acked = value;
            return this;
        }

        /** Sets {@link PeerStats#failed()}. */
        public Builder failed(long value) {
            this.failed = value;
            return this;
        }

        /** Sets {@link PeerStats#delivered()}. */
        public Builder delivered(long value) {
            this.delivered = value;
            return this;
        }

        /** Sets {@link PeerStats#duplicates()}. */
        public Builder duplicates(long value) {
            this.duplicates = value;
            return this;
        }

        /** Sets {@link PeerStats#staleMessagesDropped()}. */
        public Builder staleMessagesDropped(long value) {
            this.staleMessagesDropped = value;
            return this;
        }

        /** Sets {@link PeerStats#staleAcksDropped()}. */
        public Builder staleAcksDropped(long value) {
            this.staleAcksDropped = value;
            return this;
        }

        /** Sets {@link PeerStats#outsideWindowDropped()}. */
        public Builder outsideWindowDropped(long value) {
            this.outsideWindowDropped = value;
            return this;
        }

        /** Sets {@link PeerStats#deliveryRejected()}. */
        public Builder deliveryRejected(long value) {
            this.deliveryRejected = value;
            return this;
        }

        /** Sets {@link PeerStats#unmatchedAcks()}. */
        public Builder unmatchedAcks(long value) {
            this.unmatchedAcks = value;
            return this;
        }

        /** Sets {@link PeerStats#reachable()}. */
        public Builder reachable(boolean value) {
            this.reachable = value;
            return this;
        }

        /** Sets {@link PeerStats#malformedDropped()}. */
        public Builder malformedDropped(long value) {
            this.malformedDropped = value;
            return this;
        }

        /** Sets {@link PeerStats#authenticationFailures()}. */
        public Builder authenticationFailures(long value) {
            this.authenticationFailures = value;
            return this;
        }

        /** Sets {@link PeerStats#failedAtShutdown()}. */
        public Builder failedAtShutdown(long value) {
            this.failedAtShutdown = value;
            return this;
        }

        /** Sets {@link PeerStats#protocolRevision()}. */
        public Builder protocolRevision(Integer value) {
            this.protocolRevision = value;
            return this;
        }

        /** Sets {@link PeerStats#features()}. */
        public Builder features(Long value) {
            this.features = value;
            return this;
        }

        /** Sets {@link PeerStats#capabilityProbesSent()}. */
        public Builder capabilityProbesSent(long value) {
            this.capabilityProbesSent = value;
            return this;
        }

        /** Sets {@link PeerStats#capabilityAnswersSent()}. */
        public Builder capabilityAnswersSent(long value) {
            this.capabilityAnswersSent = value;
            return this;
        }

        /** Sets {@link PeerStats#capabilitiesReceived()}. */
        public Builder capabilitiesReceived(long value) {
            this.capabilitiesReceived = value;
            return this;
        }

        /** Sets {@link PeerStats#unknownFramesSkipped()}. */
        public Builder unknownFramesSkipped(long value) {
            this.unknownFramesSkipped = value;
            return this;
        }

        /** Sets {@link PeerStats#failoverCopies()}. */
        public Builder failoverCopies(long value) {
            this.failoverCopies = value;
            return this;
        }

        /** Sets {@link PeerStats#fastRetransmits()}. */
        public Builder fastRetransmits(long value) {
            this.fastRetransmits = value;
            return this;
        }

        /** Sets {@link PeerStats#fragmentsSent()}. */
        public Builder fragmentsSent(long value) {
            this.fragmentsSent = value;
            return this;
        }

        /** Sets {@link PeerStats#fragmentsRetransmitted()}. */
        public Builder fragmentsRetransmitted(long value) {
            this.fragmentsRetransmitted = value;
            return this;
        }

        /** Sets {@link PeerStats#reassemblyRefusals()}. */
        public Builder reassemblyRefusals(long value) {
            this.reassemblyRefusals = value;
            return this;
        }

        /** Sets {@link PeerStats#fragmentsDropped()}. */
        public Builder fragmentsDropped(long value) {
            this.fragmentsDropped = value;
            return this;
        }

        /** Sets {@link PeerStats#requestsSent()}. */
        public Builder requestsSent(long value) {
            this.requestsSent = value;
            return this;
        }

        /** Sets {@link PeerStats#repliesReceived()}. */
        public Builder repliesReceived(long value) {
            this.repliesReceived = value;
            return this;
        }

        /** Sets {@link PeerStats#requestsHandled()}. */
        public Builder requestsHandled(long value) {
            this.requestsHandled = value;
            return this;
        }

        /** Sets {@link PeerStats#repliesSent()}. */
        public Builder repliesSent(long value) {
            this.repliesSent = value;
            return this;
        }

        /** Sets {@link PeerStats#paths()}. */
        public Builder paths(List<PathStats> value) {
            this.paths = Objects.requireNonNull(value, "paths");
            return this;
        }

        /** Sets {@link PeerStats#clockOffsetMillis()}. */
        public Builder clockOffsetMillis(Long value) {
            this.clockOffsetMillis = value;
            return this;
        }

        /** Sets {@link PeerStats#noAddressDrops()}. */
        public Builder noAddressDrops(long value) {
            this.noAddressDrops = value;
            return this;
        }

        /** Sets {@link PeerStats#unresolved()}. */
        public Builder unresolved(boolean value) {
            this.unresolved = value;
            return this;
        }

        /** The snapshot. */
        public PeerStats build() {
            return new PeerStats(this);
        }
    }
}
