package io.reliablemsg.spring;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link ReliableMessageListener} methods on beans as they are initialised and turns each into
 * an {@link InboundHandler}; {@link InboundHandlers} calls them after the {@code InboundHandler} beans.
 */
public final class ReliableMessageListenerMethodProcessor implements BeanPostProcessor {
    private final List<InboundHandler> handlers = new CopyOnWriteArrayList<>();

    /** The handlers found so far, in the order their beans were initialised. */
    public List<InboundHandler> handlers() {
        return List.copyOf(handlers);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, ReliableMessageListener> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<ReliableMessageListener>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, ReliableMessageListener.class));
        for (Map.Entry<Method, ReliableMessageListener> entry : methods.entrySet()) {
            Method method = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
            handlers.add(adapt(bean, beanName, method, Set.of(entry.getValue().peers())));
        }
        return bean;
    }

    private static InboundHandler adapt(Object bean, String beanName, Method method, Set<String> peers) {
        Class<?>[] parameters = method.getParameterTypes();
        boolean takesMessage = parameters.length == 1 && parameters[0] == InboundMessage.class;
        boolean takesPayload = parameters.length == 1 && parameters[0] == byte[].class;
        if (!takesMessage && !takesPayload) {
            throw new BeanInitializationException("@ReliableMessageListener method " + beanName + "." + method.getName()
                    + " must take exactly one parameter, an InboundMessage or a byte[], but takes "
                    + List.of(parameters));
        }
        ReflectionUtils.makeAccessible(method);
        return message -> {
            if (!peers.isEmpty() && !peers.contains(message.peer())) {
                return;
            }
            try {
                method.invoke(bean, takesMessage ? message : message.payload());
            } catch (InvocationTargetException e) {
                ReflectionUtils.rethrowRuntimeException(e.getTargetException());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call " + method, e);
            }
        };
    }
}
