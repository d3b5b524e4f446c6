package io.reliablemsg.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A transport that hands every call to another one: the base of a decorator given to
 * {@code ReliableMessenger.Builder.transportDecorator}, which overrides only what it changes
 * (for example {@link #send} to count or drop datagrams). Closing it closes the delegate.
 */
public abstract class ForwardingTransport implements Transport {
    /** The transport every call goes to. */
    protected final Transport delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingTransport(Transport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public InetSocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public int pathDatagramSize(InetSocketAddress target) {
        return delegate.pathDatagramSize(target);
    }

    @Override
    public boolean send(InetSocketAddress target, ByteBuffer datagram) {
        return delegate.send(target, datagram);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        return delegate.receive(into);
    }

    @Override
    public void await(long timeoutNs) throws IOException {
        delegate.await(timeoutNs);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
