package io.reliablemsg.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.Locale;

/**
 * The UDP socket could not be opened on the configured address and port; {@link #problem()} says why
 * in terms a user can act on (the starter turns it into Boot's "APPLICATION FAILED TO START").
 */
public final class UdpBindException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /** Why the socket could not be bound. */
    public enum Problem {
        /** Another socket holds the port on that address ({@code EADDRINUSE}). */
        PORT_IN_USE,
        /** The bind address is not an address of this host ({@code EADDRNOTAVAIL}). */
        ADDRESS_NOT_LOCAL,
        /** The bind address is a host name that does not resolve. */
        UNRESOLVED_ADDRESS,
        /** The system refused it ({@code EACCES}: a privileged port without the right to bind it). */
        PERMISSION_DENIED,
        /** Anything else; the cause says what. */
        OTHER
    }

    private final String bindAddress;
    private final int port;
    private final Problem problem;

    UdpBindException(String bindAddress, int port, IOException cause) {
        super(message(bindAddress, port, classify(cause), cause), cause);
        this.bindAddress = bindAddress;
        this.port = port;
        this.problem = classify(cause);
    }

    /** The address the socket was to be bound to, as configured. */
    public String bindAddress() {
        return bindAddress;
    }

    /** The port the socket was to be bound to (0: any free port). */
    public int port() {
        return port;
    }

    /** Why it failed. */
    public Problem problem() {
        return problem;
    }

    private static Problem classify(IOException cause) {
        if (cause instanceof UnresolvedBindAddress) {
            return Problem.UNRESOLVED_ADDRESS;
        }
        String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof BindException && text.contains("already in use")) {
            return Problem.PORT_IN_USE;
        }
        if (cause instanceof BindException && text.contains("cannot assign requested address")) {
            return Problem.ADDRESS_NOT_LOCAL;
        }
        if (text.contains("permission denied")) {
            return Problem.PERMISSION_DENIED;
        }
        return Problem.OTHER;
    }

    private static String message(String bindAddress, int port, Problem problem, IOException cause) {
        String where = "cannot bind UDP socket on " + bindAddress + ":" + port;
        return switch (problem) {
            case PORT_IN_USE -> where + ": the port is in use by another socket";
            case ADDRESS_NOT_LOCAL -> where + ": " + bindAddress + " is not an address of this host";
            case UNRESOLVED_ADDRESS -> where + ": host name " + bindAddress + " does not resolve";
            case PERMISSION_DENIED -> where + ": permission denied";
            case OTHER -> where + ": " + cause;
        };
    }

    /** The bind address did not resolve (the JDK reports it as an unchecked exception of its own). */
    static final class UnresolvedBindAddress extends IOException {
        private static final long serialVersionUID = 1L;

        UnresolvedBindAddress(String host) {
            super("unresolved address " + host);
        }
    }
}
