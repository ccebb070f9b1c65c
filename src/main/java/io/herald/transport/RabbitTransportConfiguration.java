package io.herald.transport;

import java.time.Duration;

import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code herald.transport=rabbitmq}: connection (spring.rabbitmq.*), queue layout and the transport. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "herald.transport", havingValue = "rabbitmq")
@EnableConfigurationProperties(RabbitProperties.class)
class RabbitTransportConfiguration {

    @Bean(destroyMethod = "destroy")
    CachingConnectionFactory heraldRabbitConnectionFactory(RabbitProperties rabbit, MeterRegistry meters) {
        CachingConnectionFactory factory = new CachingConnectionFactory(rabbit.determineHost(), rabbit.determinePort());
        factory.setUsername(rabbit.determineUsername());
        factory.setPassword(rabbit.determinePassword());
        if (rabbit.determineVirtualHost() != null) {
            factory.setVirtualHost(rabbit.determineVirtualHost());
        }
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        factory.setChannelCacheSize(32);
        factory.setConnectionNameStrategy(cf -> "herald");
        // The RabbitMQ client's metrics (rabbitmq_connections, rabbitmq_published_total, rabbitmq_consumed_total, ...),
        // as Spring Boot's RabbitMetricsAutoConfiguration would add them; it is excluded with the rest of Boot's Rabbit
        // auto-configuration (application.yml). Set before the first connection, which reads it.
        factory.getRabbitConnectionFactory().setMetricsCollector(
                new MicrometerMetricsCollector(meters, "rabbitmq", Tags.of("name", "herald")));
        return factory;
    }

    @Bean
    RabbitAdmin heraldRabbitAdmin(CachingConnectionFactory heraldRabbitConnectionFactory) {
        return new RabbitAdmin(heraldRabbitConnectionFactory);
    }

    @Bean
    Declarables heraldRabbitQueues(@Value("${herald.rabbitmq.queue:herald.deliveries}") String queue) {
        return new Declarables(RabbitTransport.declarables(queue));
    }

    @Bean
    RabbitTransport rabbitTransport(CachingConnectionFactory heraldRabbitConnectionFactory,
                                    @Value("${herald.rabbitmq.queue:herald.deliveries}") String queue,
                                    @Value("${herald.rabbitmq.tasks-per-message:100}") int tasksPerMessage,
                                    @Value("${herald.rabbitmq.prefetch:10}") int prefetch,
                                    @Value("${herald.ops.queue-depth-cache:5s}") Duration depthCache,
                                    ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new RabbitTransport(heraldRabbitConnectionFactory, queue, tasksPerMessage, prefetch, depthCache,
                TaskTracing.of(tracer, propagator));
    }
}
