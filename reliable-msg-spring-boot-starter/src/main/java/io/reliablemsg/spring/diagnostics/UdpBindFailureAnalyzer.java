package io.reliablemsg.spring.diagnostics;

import io.reliablemsg.transport.UdpBindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a UDP socket that cannot be bound (port in use, bind address not of this host, a host name
 * that does not resolve, a privileged port) as Boot's "APPLICATION FAILED TO START", naming
 * {@code reliable-msg.port} or {@code reliable-msg.bind-address}.
 */
public final class UdpBindFailureAnalyzer extends AbstractFailureAnalyzer<UdpBindException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UdpBindException cause) {
        String where = cause.bindAddress() + ":" + cause.port();
        return switch (cause.problem()) {
            case PORT_IN_USE -> new FailureAnalysis(
                    "The reliable-msg messenger could not open its UDP socket: port " + cause.port() + " on "
                            + cause.bindAddress() + " is already in use (reliable-msg.port=" + cause.port() + ").",
                    "Stop the process that holds UDP port " + cause.port() + " (ss -lunp shows it), or set "
                            + "reliable-msg.port to a free port (0 picks any free port, for tests).", cause);
            case ADDRESS_NOT_LOCAL -> new FailureAnalysis(
                    "The reliable-msg messenger could not open its UDP socket on " + where + ": "
                            + cause.bindAddress() + " is not an address of this host (reliable-msg.bind-address="
                            + cause.bindAddress() + ").",
                    "Set reliable-msg.bind-address to an address of one of this host's interfaces, or to 0.0.0.0 "
                            + "(the default) to receive on all of them.", cause);
            case UNRESOLVED_ADDRESS -> new FailureAnalysis(
                    "The reliable-msg messenger could not open its UDP socket: reliable-msg.bind-address="
                            + cause.bindAddress() + " is a host name that does not resolve.",
                    "Set reliable-msg.bind-address to an IP address of this host or a name that resolves to one, "
                            + "or to 0.0.0.0 (the default).", cause);
            case PERMISSION_DENIED -> new FailureAnalysis(
                    "The reliable-msg messenger may not bind UDP " + where + ": permission denied.",
                    "Use a port above 1023 in reliable-msg.port, or give the process the right to bind "
                            + "privileged ports (CAP_NET_BIND_SERVICE).", cause);
            case OTHER -> new FailureAnalysis(
                    "The reliable-msg messenger could not open its UDP socket on " + where + ": " + cause.getCause(),
                    "Check reliable-msg.bind-address and reliable-msg.port.", cause);
        };
    }
}
