package io.reliablemsg.test;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A messenger of one node of a {@link TestNetwork}, from {@link TestNetwork#node(String)}: at the node's
 * address, with the node's client id (the same for every messenger of that name, none that a messenger
 * on the network had when it was assigned), the peers given here and the core's defaults for everything
 * else, until {@link #configure} changes them. Not thread-safe; use it on one thread.
 */
public final class NodeBuilder {
    private final TestNetwork network;
    private final String name;
    private final Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
    private InetSocketAddress address;
    private Consumer<MessengerConfig.Builder> settings = config -> { };
    private Consumer<ReliableMessenger.Builder> wiring = builder -> { };

    NodeBuilder(TestNetwork network, String name) {
        this.network = network;
        this.name = name;
    }

    /** Puts the node at {@code address} instead of the one its name has or gets ({@link TestNetwork#address}). */
    public NodeBuilder at(InetSocketAddress address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    /** Adds peers by node name, each at its address on the network (assigned now when it has none yet). */
    public NodeBuilder peers(String... names) {
        for (String peer : names) {
            peers.put(peer, null);
        }
        return this;
    }

    /** Adds peer {@code peerName} at {@code peerAddress} (a messenger's {@code localAddress()}, say), naming it so. */
    public NodeBuilder peer(String peerName, InetSocketAddress peerAddress) {
        peers.put(peerName, Objects.requireNonNull(peerAddress, "peerAddress"));
        return this;
    }

    /** Changes the configuration after the network set the address, client id and peers (runs after earlier calls). */
    public NodeBuilder configure(Consumer<MessengerConfig.Builder> change) {
        this.settings = settings.andThen(Objects.requireNonNull(change, "change"));
        return this;
    }

    /**
     * Changes the messenger's builder after the network set its transport: handlers, listeners, a
     * transport decorator (runs after earlier calls).
     */
    public NodeBuilder customize(Consumer<ReliableMessenger.Builder> change) {
        this.wiring = wiring.andThen(Objects.requireNonNull(change, "change"));
        return this;
    }

    /** Builds and starts the messenger; the network closes it with the test that started it. */
    public ReliableMessenger start() {
        NodeDirectory directory = network.directory();
        InetSocketAddress own = address != null ? address : network.address(name);
        directory.register(name, own);
        MessengerConfig.Builder config = MessengerConfig.builder().clientId(directory.clientIdOf(name))
                .bindAddress(own.getAddress().getHostAddress()).port(own.getPort());
        peers.forEach((peer, given) -> {
            InetSocketAddress at = given != null ? given : network.address(peer);
            directory.register(peer, at);
            config.peer(peer, at.getAddress().getHostAddress(), at.getPort());
        });
        settings.accept(config);
        ReliableMessenger.Builder builder = ReliableMessenger.builder(config.build()).transport(network::transportFor);
        wiring.accept(builder);
        return network.track(builder.build());
    }
}
