/**
 * Internal, not API: the receiver's duplicate windows per sender incarnation (rule S8,
 * docs/PROTOCOL.md). Public only for the library's own packages and benchmarks; may change in any
 * release.
 */
package io.reliablemsg.receive;
