package io.herald.transport;

import java.time.Duration;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code herald.transport=kafka}: the broker is {@code spring.kafka.bootstrap-servers}; topics are created on start. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "herald.transport", havingValue = "kafka")
class KafkaTransportConfiguration {

    @Bean
    KafkaTransport kafkaTransport(@Value("${spring.kafka.bootstrap-servers:127.0.0.1:9092}") String bootstrapServers,
                                  @Value("${herald.kafka.topic:herald.deliveries}") String topic,
                                  @Value("${herald.kafka.partitions:8}") int partitions,
                                  @Value("${herald.kafka.group:herald-workers}") String group,
                                  @Value("${herald.kafka.tasks-per-record:100}") int tasksPerRecord,
                                  @Value("${herald.ops.queue-depth-cache:5s}") Duration depthCache,
                                  io.micrometer.core.instrument.MeterRegistry meters,
                                  ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        KafkaTransport transport = new KafkaTransport(bootstrapServers, topic, partitions, group, tasksPerRecord, depthCache,
                TaskTracing.of(tracer, propagator));
        transport.bindMetrics(meters);
        return transport;
    }
}
