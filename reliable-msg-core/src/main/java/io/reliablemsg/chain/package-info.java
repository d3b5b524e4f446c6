/**
 * Internal, not API: the sender's retransmit chain (rules S2-S5, docs/PROTOCOL.md). Public only for
 * the library's own packages and benchmarks; may change in any release.
 */
package io.reliablemsg.chain;
