package io.reliablemsg.spring.autoconfigure;

import io.reliablemsg.AckListener;
import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.RequestHandler;
import io.reliablemsg.SendFailureListener;
import io.reliablemsg.spring.AckListeners;
import io.reliablemsg.spring.InboundHandlers;
import io.reliablemsg.spring.JacksonPayloadConverter;
import io.reliablemsg.spring.PayloadConverter;
import io.reliablemsg.spring.ReliableMessageTemplate;
import io.reliablemsg.spring.PeerChangedEvent;
import io.reliablemsg.spring.PeerPathEvent;
import io.reliablemsg.spring.ReliableMessageErrorHandler;
import io.reliablemsg.spring.ServicePeers;
import io.reliablemsg.spring.ReliableMessageListenerMethodProcessor;
import io.reliablemsg.spring.ReliableMessengerBuilderCustomizer;
import io.reliablemsg.spring.ReliableMessengerInstrumentation;
import io.reliablemsg.spring.ReliableMessengerLifecycle;
import io.reliablemsg.spring.ReliableMsgProperties;
import io.reliablemsg.spring.RequestHandlers;
import io.reliablemsg.spring.SendFailedEventPublisher;
import java.util.stream.Stream;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link ReliableMessenger} built from {@code reliable-msg.*}, calling every {@link InboundHandler}
 * bean and {@code @ReliableMessageListener} method, answering requests ({@link RequestHandlers}), handing
 * handler exceptions to a {@link ReliableMessageErrorHandler} bean when there is one, publishing
 * {@code SendFailedEvent}s, started and closed with the application context; path changes published as
 * {@link PeerPathEvent}s, changes of the peer set as {@link PeerChangedEvent}s; {@link ServicePeers} lists
 * the peers of a service. With {@code spring.threads.virtual.enabled=true} (Java 21+) the handlers run on
 * virtual threads. A {@link ReliableMessengerInstrumentation} bean (the Micrometer Observations, with
 * {@code reliable-msg.observations.enabled=true}) wraps its handlers and listeners and gives it a message tracer.
 * {@link ReliableMessengerBuilderCustomizer} beans may change its
 * builder last.
 */
@AutoConfiguration
@ConditionalOnClass(ReliableMessenger.class)
@ConditionalOnBooleanProperty(name = "reliable-msg.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReliableMsgProperties.class)
public final class ReliableMessengerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    static ReliableMessageListenerMethodProcessor reliableMessageListenerMethodProcessor(
            ObjectProvider<PayloadConverter> converter) {
        return new ReliableMessageListenerMethodProcessor(() -> converter.getIfAvailable(PayloadConverter::basic));
    }

    /** JSON payloads through the application's Jackson 3 mapper (Boot 4's), when Jackson is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "tools.jackson.databind.ObjectMapper")
    static class JacksonPayloads {
        @Bean
        @ConditionalOnMissingBean(PayloadConverter.class)
        PayloadConverter reliableMsgPayloadConverter(ObjectProvider<ObjectMapper> mapper) {
            return new JacksonPayloadConverter(mapper.getIfAvailable(() -> JsonMapper.builder().build()));
        }
    }

    @Bean
    @ConditionalOnMissingBean
    PayloadConverter reliableMsgBasicPayloadConverter() {
        return PayloadConverter.basic();
    }


    @Bean
    @ConditionalOnMissingBean
    SendFailedEventPublisher sendFailedEventPublisher(ApplicationEventPublisher publisher,
                                                      ObjectProvider<ReliableMessenger> messenger) {
        return new SendFailedEventPublisher(publisher, messenger::getObject);
    }

    @Bean
    @ConditionalOnMissingBean
    ReliableMessenger reliableMessenger(ReliableMsgProperties properties, SendFailedEventPublisher failurePublisher,
                                        ObjectProvider<InboundHandler> inboundHandlers,
                                        ReliableMessageListenerMethodProcessor listenerMethods,
                                        ObjectProvider<AckListener> ackListeners, ListableBeanFactory beanFactory,
                                        ApplicationEventPublisher eventPublisher, ObjectProvider<ReliableMessenger> messenger,
                                        ObjectProvider<ReliableMessengerBuilderCustomizer> customizers,
                                        ObjectProvider<AsyncRequestHandler> asyncRequestHandler,
                                        ObjectProvider<RequestHandler> requestHandler,
                                        ObjectProvider<ReliableMessageErrorHandler> errorHandler,
                                        ObjectProvider<PayloadConverter> converter, Environment environment,
                                        ObjectProvider<ReliableMessengerInstrumentation> instrumentation) {
        // handlers, the error handler and the converter are looked up when first needed: they may need the messenger
        InboundHandler inbound = new InboundHandlers(() -> Stream.concat(inboundHandlers.orderedStream(),
                listenerMethods.handlers().stream()).toList(), errorHandler::getIfAvailable);
        AsyncRequestHandler requests = new RequestHandlers(asyncRequestHandler::getIfAvailable,
                requestHandler::getIfAvailable, listenerMethods,
                () -> converter.getIfAvailable(PayloadConverter::basic), errorHandler::getIfAvailable);
        SendFailureListener failures = failurePublisher;
        // Only when there are listeners: an ack then travels to the callback thread, and costs nothing otherwise.
        // Names, not beans: a listener may depend on the messenger, so it is looked up on the first ack.
        AckListener acks = beanFactory.getBeanNamesForType(AckListener.class, true, false).length > 0
                ? new AckListeners(() -> ackListeners.orderedStream().toList()) : null;
        ReliableMessengerInstrumentation instruments = instrumentation.getIfAvailable();
        ReliableMessenger.Builder builder = ReliableMessenger.builder(properties.toMessengerConfig());
        if (instruments != null) { // reliable-msg.observations.enabled: every send and handler observed
            inbound = instruments.inbound(inbound);
            requests = instruments.requests(requests);
            failures = instruments.failures(failures);
            acks = instruments.acks(acks);
            builder.messageTracer(instruments.tracer());
        }
        builder.inboundHandler(inbound).asyncRequestHandler(requests).failureListener(failures)
                .pathListener(change -> eventPublisher.publishEvent(new PeerPathEvent(messenger.getObject(), change)))
                .peerListener(change -> eventPublisher.publishEvent(new PeerChangedEvent(messenger.getObject(), change)));
        if (acks != null) {
            builder.ackListener(acks);
        }
        if (Threading.VIRTUAL.isActive(environment)) { // spring.threads.virtual.enabled=true on Java 21+
            builder.handlerThreadFactory(new VirtualThreadTaskExecutor("reliable-msg-callbacks-").getVirtualThreadFactory());
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnSingleCandidate(ReliableMessenger.class)
    @ConditionalOnMissingBean
    ReliableMessengerLifecycle reliableMessengerLifecycle(ReliableMessenger messenger) {
        return new ReliableMessengerLifecycle(messenger);
    }

    @Bean
    @ConditionalOnSingleCandidate(ReliableMessenger.class)
    @ConditionalOnMissingBean
    ServicePeers reliableMsgServicePeers(ReliableMessenger messenger) {
        return new ServicePeers(messenger);
    }

    // after the messenger's bean method: conditions on beans see only what is declared before them
    @Bean
    @ConditionalOnSingleCandidate(ReliableMessenger.class)
    @ConditionalOnMissingBean
    ReliableMessageTemplate reliableMessageTemplate(ReliableMessenger messenger, PayloadConverter converter) {
        return new ReliableMessageTemplate(messenger, converter);
    }
}
