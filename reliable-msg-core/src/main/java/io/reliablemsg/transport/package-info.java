/**
 * The {@link io.reliablemsg.transport.Transport} seam, which users may implement
 * ({@code ReliableMessenger.Builder.transport}) or decorate ({@code ReliableMessenger.Builder.transportDecorator}),
 * with the UDP transport, a seeded in-memory network for single-threaded simulations and a
 * fault-injecting decorator. The in-JVM network for tests of running applications is the test kit's
 * ({@code io.reliablemsg.test.TestNetwork}, module {@code reliable-msg-test}).
 */
package io.reliablemsg.transport;
