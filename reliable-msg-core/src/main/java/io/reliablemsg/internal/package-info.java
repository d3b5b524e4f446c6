/**
 * Internal, not API: the protocol roles (admission, sender, receiver, liveness, outbound), their
 * assembly, the I/O loop and the callback dispatcher. May change in any release. See
 * docs/ARCHITECTURE.md.
 */
package io.reliablemsg.internal;
