package io.herald.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.herald.transport.InMemoryTransport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Broker settings for one test class and what the tests ask the brokers directly: each class gets its own
 * queue/topic names ({@code channel}) so that classes never consume each other's tasks.
 */
public final class BrokerSupport {
    private BrokerSupport() {
    }

    public static Map<String, String> properties(String transport, String channel) {
        return switch (transport) {
            case "inmemory" -> Map.of("herald.transport", "inmemory");
            case "rabbitmq" -> {
                ExternalService.require("RabbitMQ", 5672);
                yield Map.of("herald.transport", "rabbitmq", "herald.rabbitmq.queue", channel,
                        "spring.rabbitmq.host", "127.0.0.1", "spring.rabbitmq.port", "5672");
            }
            case "kafka" -> Map.of("herald.transport", "kafka", "herald.kafka.topic", channel,
                    "herald.kafka.group", channel + ".workers", "spring.kafka.bootstrap-servers",
                    KafkaTestBroker.bootstrapServers());
            default -> throw new IllegalArgumentException(transport);
        };
    }

    /** Stops the machine's RabbitMQ application (the node stays up, clients lose their connections). */
    public static void stopRabbitMq() throws Exception {
        rabbitmqctl("stop_app");
    }

    /** Starts the RabbitMQ application again and waits until it accepts connections. */
    public static void startRabbitMq() throws Exception {
        rabbitmqctl("start_app");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!ExternalService.reachable(5672) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", command).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed");
        }
    }

    /** Tasks parked in the dead-letter queue/topic, or -1 where the transport has none (in-memory). */
    public static long deadLettered(String transport, String channel) {
        return switch (transport) {
            case "rabbitmq" -> withRabbit(admin -> {
                Properties info = admin.getQueueProperties(channel + ".dlq");
                return info == null ? 0L : ((Number) info.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
            });
            case "kafka" -> withKafka(admin -> endOffsets(admin, channel + ".dlt").values().stream()
                    .mapToLong(Long::longValue).sum());
            default -> -1L;
        };
    }

    /** True when nothing is waiting in (or unacknowledged from) the work queue/topic. */
    public static boolean drained(String transport, String channel, HeraldProcess api) {
        return switch (transport) {
            case "inmemory" -> api.bean(InMemoryTransport.class).depth() == 0;
            case "rabbitmq" -> withRabbit(admin -> {
                Properties info = admin.getQueueProperties(channel);
                return info != null && ((Number) info.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue() == 0;
            });
            case "kafka" -> withKafka(admin -> {
                Map<TopicPartition, Long> ends = endOffsets(admin, channel);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(channel + ".workers")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
            });
            default -> throw new IllegalArgumentException(transport);
        };
    }

    /** Deletes the class's queues (topics live in the throwaway in-JVM broker). */
    public static void cleanUp(String transport, String channel) {
        if (transport.equals("rabbitmq") && ExternalService.reachable(5672)) {
            withRabbit(admin -> {
                admin.deleteQueue(channel);
                admin.deleteQueue(channel + ".dlq");
                for (long tier : List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L, 128_000L, 256_000L)) {
                    admin.deleteQueue(channel + ".retry-" + tier + "ms");
                }
                return null;
            });
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p))
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static <T> T withRabbit(Function<RabbitAdmin, T> action) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        try {
            return action.apply(new RabbitAdmin(factory));
        } finally {
            factory.destroy();
        }
    }

    private interface KafkaAction<T> {
        T apply(Admin admin) throws Exception;
    }

    private static <T> T withKafka(KafkaAction<T> action) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()))) {
            return action.apply(admin);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
