package io.reliablemsg;

import java.util.Map;

/**
 * Counters of a messenger at one moment: totals over all peers, plus what belongs to no peer.
 *
 * @param pending              messages held now (on the chain or awaiting their failure callback)
 * @param capacity             chain capacity ({@code maxStoredMessages})
 * @param sent                 see {@link PeerStats#sent()}, summed
 * @param retransmitted        summed over peers
 * @param acked                summed over peers
 * @param failed               summed over peers
 * @param delivered            summed over peers
 * @param duplicates           summed over peers
 * @param staleMessagesDropped summed over peers
 * @param staleAcksDropped     summed over peers
 * @param outsideWindowDropped summed over peers
 * @param deliveryRejected     summed over peers
 * @param malformedDropped     datagrams that failed validation (bad magic, version, length, ...)
 * @param unknownSourceDropped datagrams from addresses that are not configured peers
 * @param handlerErrors        exceptions thrown by the inbound handler or failure listener
 * @param transportSendDrops   datagrams the socket refused because its send buffer was full
 * @param authenticationFailures datagrams dropped because their MAC was missing, unknown or wrong
 * @param peers                per-peer counters by peer name
 */
public record MessengerStats(int pending, int capacity, long sent, long retransmitted, long acked, long failed,
                             long delivered, long duplicates, long staleMessagesDropped, long staleAcksDropped,
                             long outsideWindowDropped, long deliveryRejected, long malformedDropped,
                             long unknownSourceDropped, long handlerErrors, long transportSendDrops,
                             long authenticationFailures, Map<String, PeerStats> peers) {
}
