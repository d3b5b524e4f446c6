package io.reliablemsg;

import java.time.Duration;

/**
 * A message acked by its peer: what {@link ReliableMessenger#sendAsync}'s future completes with.
 *
 * @param peer          the peer's name
 * @param msgId         the message id
 * @param transmissions copies sent before the ack (1: the first)
 * @param latency       from the first send to the ack
 */
public record SendResult(String peer, long msgId, int transmissions, Duration latency) {
}
