package io.reliablemsg;

/**
 * Counters of one peer at one moment. Counters only grow; {@code pending} is the chain depth now.
 *
 * @param name                 peer name
 * @param address              peer address as configured or seen
 * @param pending              messages to this peer on the chain or awaiting their failure callback
 * @param sent                 messages accepted by {@code send} and put on the wire
 * @param retransmitted        retransmissions (seed S4)
 * @param acked                messages acked
 * @param failed               messages given up (seed S5), for any reason
 * @param delivered            messages from this peer handed to the inbound handler
 * @param duplicates           duplicate messages from this peer, re-acked and not delivered (S8)
 * @param staleMessagesDropped messages older than interval + skew allowance, dropped unacked (S6)
 * @param staleAcksDropped     acks whose echoed send time is older than the interval, dropped (S9)
 * @param outsideWindowDropped messages whose id fell below the duplicate window, dropped unacked
 * @param deliveryRejected     messages not acked because the delivery queue was full (back-pressure)
 * @param unmatchedAcks        acks for no pending message (late re-acks, another incarnation's)
 * @param reachable            false after a message to this peer failed, until an ack comes again
 * @param malformedDropped     datagrams from this peer's address that failed validation
 * @param authenticationFailures datagrams from this peer's address with a missing, unknown or wrong MAC
 * @param failedAtShutdown     of {@code failed}, those failed because the messenger closed
 * @param clockOffsetMillis    estimated offset of the peer's wall clock against ours in ms (positive:
 *                             the peer is ahead), from the timestamps of its acks; null before the
 *                             first ack. The age check (S6) tolerates up to {@code clockSkewAllowance}.
 */
public record PeerStats(String name, String address, int pending, long sent, long retransmitted, long acked,
                        long failed, long delivered, long duplicates, long staleMessagesDropped,
                        long staleAcksDropped, long outsideWindowDropped, long deliveryRejected,
                        long unmatchedAcks, boolean reachable, long malformedDropped,
                        long authenticationFailures, long failedAtShutdown, Long clockOffsetMillis) {
}
