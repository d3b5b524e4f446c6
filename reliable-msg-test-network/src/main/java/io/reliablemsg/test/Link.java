package io.reliablemsg.test;

import java.net.InetSocketAddress;

/** One direction between two addresses of the network: what a one-way cut and a link's random draws belong to. */
record Link(InetSocketAddress from, InetSocketAddress to) {
}
