package io.reliablemsg.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * One non-blocking UDP socket ({@code java.nio.channels.DatagramChannel}) for all peers, with a
 * selector to wait on. A send that the kernel cannot buffer returns false at once rather than
 * blocking the loop (docs/PROTOCOL.md, gap 11).
 */
public final class UdpTransport implements Transport {
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress local;

    private UdpTransport(DatagramChannel channel, Selector selector) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Opens and binds a socket on {@code bindAddress}:{@code port} with the given buffer sizes.
     *
     * @throws UdpBindException when it cannot, saying why (port in use, address not of this host, ...)
     */
    public static UdpTransport open(String bindAddress, int port, int socketBufferBytes) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            InetSocketAddress address = new InetSocketAddress(bindAddress, port);
            if (address.isUnresolved()) {
                throw new UdpBindException.UnresolvedBindAddress(bindAddress);
            }
            channel.bind(address);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new UdpTransport(channel, selector);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UdpBindException(bindAddress, port, e);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * The MTU of the interface the route to {@code target} leaves by, less the headers ({@link PathMtu}). With no
     * target (a messenger with no peer at start), a socket bound to a loopback address can reach nothing but the
     * loopback, so the loopback's size; any other socket, one Ethernet datagram.
     */
    @Override
    public int pathDatagramSize(InetSocketAddress target) {
        if (target == null && local.getAddress().isLoopbackAddress()) {
            return PathMtu.datagramSize(local);
        }
        return PathMtu.datagramSize(target);
    }

    @Override
    public boolean send(InetSocketAddress target, ByteBuffer datagram) {
        try {
            return channel.send(datagram, target) > 0;
        } catch (IOException e) {
            // e.g. ICMP port unreachable reported on a later send, or no route: the chain retransmits.
            return false;
        }
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        SocketAddress source = channel.receive(into);
        return (InetSocketAddress) source;
    }

    @Override
    public void await(long timeoutNs) throws IOException {
        if (timeoutNs <= 0) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs)));
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
