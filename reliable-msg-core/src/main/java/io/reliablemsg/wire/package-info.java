/**
 * Internal, not API: the datagram layout, reader, writer and authenticator (docs/PROTOCOL.md). Public
 * only for the library's own packages, tools and benchmarks; the byte layout itself is the
 * compatibility promise, not these classes.
 */
package io.reliablemsg.wire;
