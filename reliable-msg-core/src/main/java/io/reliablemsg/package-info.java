/**
 * The API of reliable-msg: {@link io.reliablemsg.ReliableMessenger}, its configuration, listeners and
 * statistics. Everything a user needs is in this package, plus the {@code Transport} seam in
 * {@code io.reliablemsg.transport} and the {@code Clock} seam in {@code io.reliablemsg.time}. The
 * packages {@code internal}, {@code chain}, {@code receive} and {@code wire} are machinery: public
 * only where another package of the library needs them, and not API (they may change in any
 * release). See docs/ARCHITECTURE.md.
 */
package io.reliablemsg;
