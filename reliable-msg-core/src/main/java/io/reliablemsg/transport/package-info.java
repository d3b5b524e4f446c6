/**
 * The {@link io.reliablemsg.transport.Transport} seam, which users may implement or decorate
 * ({@code ReliableMessenger.Builder.transportDecorator}), with the UDP transport, a seeded in-memory
 * network for simulations and a fault-injecting decorator.
 */
package io.reliablemsg.transport;
