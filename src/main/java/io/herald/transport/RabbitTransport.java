package io.herald.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * RabbitMQ transport. Layout (all durable, messages persistent):
 * <ul>
 *   <li>{@code <queue>}: the work queue; one AMQP message carries up to {@code tasks-per-message} tasks,
 *       because per-message broker overhead, not bytes, limits throughput;</li>
 *   <li>{@code <queue>.retry-<n>ms}: delay queues, one per {@link RetryTiers tier}, whose expired messages
 *       are dead-lettered back to the work queue, so a retry waits in the broker, not in a worker;</li>
 *   <li>{@code <queue>.dlq}: tasks that failed for good, with the reason in the {@code x-herald-reason} header.</li>
 * </ul>
 * Publishing waits for publisher confirms. Workers consume with manual acknowledgements: a batch is
 * acked only after the handler stored its outcomes, and nacked (re-queued) if the handler throws.
 */
class RabbitTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);
    private static final long CONFIRM_TIMEOUT_MS = 30_000;
    static final String CONTENT_TYPE = "application/x-herald-tasks";
    static final String NAME = "rabbitmq";

    private final ConnectionFactory connectionFactory;
    private final RabbitTemplate template;
    private final String queue;
    private final int tasksPerMessage;
    private final int prefetch;
    private final RabbitAdmin admin;
    private final CachedDepths depths;
    private final BoundedCall<Long> probe;
    private final TaskTracing tracing;
    private SimpleMessageListenerContainer container;

    RabbitTransport(ConnectionFactory connectionFactory, String queue, int tasksPerMessage, int prefetch,
                    Duration depthCacheTtl, TaskTracing tracing) {
        this.tracing = tracing;
        this.connectionFactory = connectionFactory;
        this.template = new RabbitTemplate(connectionFactory);
        this.admin = new RabbitAdmin(connectionFactory);
        this.depths = new CachedDepths(NAME, this::queryDepths, depthCacheTtl, Duration.ofSeconds(3));
        // A passive declare of the work queue is a round trip: an open but dead connection does not pass for a live broker.
        this.probe = new BoundedCall<>("herald-broker-probe-" + NAME, () -> {
            QueueInformation info = admin.getQueueInfo(queue);
            return info == null ? -1L : info.getMessageCount();
        });
        this.queue = queue;
        this.tasksPerMessage = Math.max(1, tasksPerMessage);
        this.prefetch = Math.max(1, prefetch);
    }

    /** The queues this transport needs, declared by a RabbitAdmin on every (re)connection. */
    static List<Declarable> declarables(String queue) {
        List<Declarable> declarables = new ArrayList<>();
        declarables.add(QueueBuilder.durable(queue).build());
        declarables.add(QueueBuilder.durable(deadLetterQueue(queue)).build());
        for (long tier : RetryTiers.MILLIS) {
            declarables.add(QueueBuilder.durable(retryQueue(queue, tier)).ttl((int) tier)
                    .deadLetterExchange("").deadLetterRoutingKey(queue).build());
        }
        return declarables;
    }

    /** The work queue, its retry tiers and its dead-letter queue, in that order. */
    static List<String> queueNames(String queue) {
        List<String> names = new ArrayList<>();
        names.add(queue);
        for (long tier : RetryTiers.MILLIS) {
            names.add(retryQueue(queue, tier));
        }
        names.add(deadLetterQueue(queue));
        return names;
    }

    static String retryQueue(String queue, long tierMillis) {
        return queue + ".retry-" + tierMillis + "ms";
    }

    static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }

    @Override
    public void publish(List<DeliveryTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Map<String, String> trace = tracing.current();
        template.invoke(ops -> {
            for (int from = 0; from < tasks.size(); from += tasksPerMessage) {
                List<DeliveryTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + tasksPerMessage));
                ops.send("", queue, message(TaskCodec.encode(chunk), trace));
            }
            ops.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            return null;
        });
    }

    @Override
    public void publishRetry(DeliveryTask task, Duration delay) {
        long tier = RetryTiers.tierFor(delay);
        // The retry's batch becomes a child of the batch that scheduled it: one trace across all attempts.
        Message message = message(TaskCodec.encode(task), tracing.current());
        message.getMessageProperties().setExpiration(Long.toString(Math.max(1, delay.toMillis())));
        sendConfirmed(retryQueue(queue, tier), message);
    }

    @Override
    public void deadLetter(DeliveryTask task, String reason) {
        Message message = message(TaskCodec.encode(task), tracing.current());
        message.getMessageProperties().setHeader("x-herald-reason", reason);
        sendConfirmed(deadLetterQueue(queue), message);
    }

    private void sendConfirmed(String routingKey, Message message) {
        template.invoke(ops -> {
            ops.send("", routingKey, message);
            ops.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            return null;
        });
    }

    private static Message message(byte[] body, Map<String, String> trace) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(CONTENT_TYPE);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        if (trace != null) {
            trace.forEach(properties::setHeader);
        }
        return new Message(body, properties);
    }

    /** The trace headers a message was published with (null: none). */
    private static Map<String, String> trace(Message message) {
        Object traceparent = message.getMessageProperties().getHeaders().get("traceparent");
        if (traceparent == null) {
            return null;
        }
        Map<String, String> trace = new HashMap<>(4);
        message.getMessageProperties().getHeaders().forEach((k, v) -> {
            if (v != null && (k.equals("traceparent") || k.equals("tracestate") || k.equals("baggage"))) {
                trace.put(k, v.toString());
            }
        });
        return trace;
    }

    @Override
    public synchronized void startConsuming(DeliveryHandler handler, ConsumerSettings settings) {
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connectionFactory);
        c.setQueueNames(queue);
        c.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        c.setPrefetchCount(prefetch);
        c.setConsumerBatchEnabled(true);
        c.setBatchSize(Math.max(1, settings.batchSize() / tasksPerMessage));
        c.setReceiveTimeout(50);
        c.setConcurrentConsumers(settings.consumers());
        c.setShutdownTimeout(30_000);
        c.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> onBatch(handler, messages, channel));
        c.afterPropertiesSet();
        c.start();
        container = c;
    }

    private void onBatch(DeliveryHandler handler, List<Message> messages, Channel channel) {
        if (messages.isEmpty()) {
            return;
        }
        long lastTag = messages.get(messages.size() - 1).getMessageProperties().getDeliveryTag();
        List<DeliveryTask> tasks = new ArrayList<>();
        List<Map<String, String>> traces = new ArrayList<>(messages.size());
        for (Message message : messages) {
            try {
                tasks.addAll(TaskCodec.decode(message.getBody()));
                traces.add(trace(message));
            } catch (IllegalArgumentException e) {
                // Not ours (or from an incompatible version): retrying can never help.
                log.warn("Dropping undecodable message from {}: {}", queue, e.getMessage());
            }
        }
        try {
            if (!tasks.isEmpty()) {
                tracing.handle(handler, tasks, traces);
            }
        } catch (RuntimeException e) {
            log.warn("Delivery batch of {} tasks failed, returned to {}: {}", tasks.size(), queue, e.toString());
            pause();
            settle(channel, lastTag, false);
            return;
        }
        settle(channel, lastTag, true);
    }

    private void settle(Channel channel, long lastTag, boolean ack) {
        try {
            if (ack) {
                channel.basicAck(lastTag, true);
            } else {
                channel.basicNack(lastTag, true, true);
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone (broker restart): the broker re-queues the unacked batch by itself.
            log.warn("Could not {} delivery batch: {}", ack ? "ack" : "nack", e.toString());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stopConsuming() {
        if (container != null) {
            // Waits for batches in progress; prefetched but unhandled messages go back to the queue.
            container.stop();
            container.destroy();
            container = null;
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    /** Ready messages per queue (a passive declare each); unacknowledged ones, held by workers, are not counted. */
    @Override
    public List<QueueDepth> depths() {
        return depths.get();
    }

    private List<QueueDepth> queryDepths() {
        List<QueueDepth> result = new ArrayList<>();
        for (String name : queueNames(queue)) {
            QueueInformation info = admin.getQueueInfo(name);
            if (info != null) { // not declared yet
                result.add(new QueueDepth(NAME, name, info.getMessageCount(), QueueDepth.Kind.DEPTH));
            }
        }
        return result;
    }

    @Override
    public BrokerCheck check(Duration timeout) {
        try {
            long ready = probe.get(timeout);
            return new BrokerCheck(NAME, true, ready < 0 ? "connected; queue " + queue + " not declared yet"
                    : "connected; " + ready + " messages ready in " + queue);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BrokerCheck(NAME, false, "interrupted");
        } catch (Exception e) {
            return new BrokerCheck(NAME, false, e.toString());
        }
    }

    /** Ends the threads that ask the broker for depths and health (called by Spring on shutdown). */
    public void close() {
        depths.close();
        probe.close();
    }
}
