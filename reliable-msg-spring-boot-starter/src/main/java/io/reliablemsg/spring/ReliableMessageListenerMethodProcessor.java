package io.reliablemsg.spring;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link ReliableMessageListener} methods on beans as they are initialised and turns each into
 * an {@link InboundHandler}; {@link InboundHandlers} calls them after the {@code InboundHandler} beans.
 * A method takes one parameter: {@code InboundMessage}, {@code byte[]} (the payload), or any other type,
 * which the {@link PayloadConverter} reads the payload as ({@code String} as UTF-8; JSON by default
 * when Jackson is present). A payload that cannot be read as the parameter's type does not call the
 * method: it is counted ({@link #conversionFailures()}, meter {@code reliable.msg.conversion.failures}),
 * logged (at most once every 10 s per method) and dropped. The message was acked on receipt, so it
 * is not delivered again: no loop. A method that returns a value also answers requests
 * ({@link ListenerMethod}, {@link RequestHandlers}).
 */
public final class ReliableMessageListenerMethodProcessor implements BeanPostProcessor {
    private static final Logger LOG = System.getLogger(ReliableMessageListenerMethodProcessor.class.getName());
    private static final long LOG_PERIOD_NS = 10_000_000_000L;

    private final List<ListenerMethod> methods = new CopyOnWriteArrayList<>();
    private final AtomicLong conversionFailures = new AtomicLong();
    private final Supplier<PayloadConverter> converter;

    /** Listener methods whose payloads {@code converter} reads (looked up on the first message). */
    public ReliableMessageListenerMethodProcessor(Supplier<PayloadConverter> converter) {
        this.converter = converter;
    }

    /** Listener methods taking {@code byte[]}, {@code String} or {@code InboundMessage} only. */
    public ReliableMessageListenerMethodProcessor() {
        this(PayloadConverter::basic);
    }

    /**
     * The handlers found so far, in the order their beans were initialised: every listener method, its return
     * value ignored, for the messages.
     */
    public List<InboundHandler> handlers() {
        return methods.stream().map(method -> (InboundHandler) method::call).toList();
    }

    /**
     * The listener methods that return a value, in the same order: the first whose peers include a request's
     * answers it with what it returns (see {@link ReliableMessageListener}).
     */
    List<ListenerMethod> replyingMethods() {
        return methods.stream().filter(ListenerMethod::returnsValue).toList();
    }

    /** Messages whose payload could not be read as their listener method's parameter type. */
    public long conversionFailures() {
        return conversionFailures.get();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, ReliableMessageListener> annotated = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<ReliableMessageListener>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, ReliableMessageListener.class));
        for (Map.Entry<Method, ReliableMessageListener> entry : annotated.entrySet()) {
            Method method = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
            methods.add(adapt(bean, beanName, method, Set.of(entry.getValue().peers())));
        }
        return bean;
    }

    private ListenerMethod adapt(Object bean, String beanName, Method method, Set<String> peers) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length != 1) {
            throw new BeanInitializationException("@ReliableMessageListener method " + beanName + "." + method.getName()
                    + " must take exactly one parameter (an InboundMessage, a byte[], a String or a type the "
                    + "PayloadConverter reads), but takes " + List.of(parameters));
        }
        ReflectionUtils.makeAccessible(method);
        return new ListenerMethod(bean, beanName + "." + method.getName(), method, peers, this::argument);
    }

    /** The argument of a method taking {@code parameter}, or {@link ListenerMethod#SKIPPED} when unreadable. */
    private Object argument(InboundMessage message, Class<?> parameter, String name, long[] lastLog) {
        if (parameter == InboundMessage.class) {
            return message;
        }
        if (parameter == byte[].class) {
            return message.payload();
        }
        try {
            return converter.get().fromPayload(message.payload(), parameter);
        } catch (PayloadConversionException e) {
            conversionFailures.incrementAndGet();
            long now = System.nanoTime();
            if (lastLog[0] == Long.MIN_VALUE || now - lastLog[0] >= LOG_PERIOD_NS) {
                lastLog[0] = now;
                LOG.log(Level.WARNING, "message " + message.msgId() + " from " + message.peer() + " not passed to "
                        + name + ": " + e.getMessage() + " (" + conversionFailures.get() + " so far)");
            }
            return ListenerMethod.SKIPPED;
        }
    }
}
