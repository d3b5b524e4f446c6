package io.reliablemsg.spring;

import io.reliablemsg.InboundMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link ReliableMessageListener} method: called with the argument its parameter wants, for the peers it
 * names. Its return value is the reply when it answers a request.
 */
final class ListenerMethod {
    /** What {@link #call} returns when the method was not called: not its peer, or an unreadable payload. */
    static final Object SKIPPED = new Object();

    /** Reads a message as a method's argument, or returns {@link #SKIPPED}. */
    @FunctionalInterface
    interface Arguments {
        Object argument(InboundMessage message, Class<?> parameter, String name, long[] lastLog);
    }

    private final Object bean;
    private final String name;
    private final Method method;
    private final Set<String> peers;
    private final Arguments arguments;
    private final long[] lastLog = {Long.MIN_VALUE};

    ListenerMethod(Object bean, String name, Method method, Set<String> peers, Arguments arguments) {
        this.bean = bean;
        this.name = name;
        this.method = method;
        this.peers = peers;
        this.arguments = arguments;
    }

    /** Whether the method returns something: then it answers requests too. */
    boolean returnsValue() {
        return method.getReturnType() != void.class && method.getReturnType() != Void.class;
    }

    /** Whether it takes messages from {@code peer}. */
    boolean accepts(String peer) {
        return peers.isEmpty() || peers.contains(peer);
    }

    /** "bean.method", for messages. */
    String name() {
        return name;
    }

    /** Calls the method with {@code message}; returns what it returned, or {@link #SKIPPED}. */
    Object call(InboundMessage message) {
        if (!accepts(message.peer())) {
            return SKIPPED;
        }
        Object argument = arguments.argument(message, method.getParameterTypes()[0], name, lastLog);
        if (argument == SKIPPED) {
            return SKIPPED;
        }
        try {
            return method.invoke(bean, argument);
        } catch (InvocationTargetException e) {
            ReflectionUtils.rethrowRuntimeException(e.getTargetException());
            return SKIPPED; // not reached
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method, e);
        }
    }
}
