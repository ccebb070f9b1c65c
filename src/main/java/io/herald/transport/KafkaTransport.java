package io.herald.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Kafka transport. Topics:
 * <ul>
 *   <li>{@code <topic>}: records of up to {@code herald.kafka.tasks-per-record} tasks each (a fan-out page's
 *       consecutive tasks; the producer's per-record work, not the broker, limited a one-task-per-record
 *       fan-out to ~18,000 tasks/s on two cores), keyed by the first task's recipient id to spread them over
 *       the partitions; consumed by the worker group in batches of about {@code herald.delivery.batch-size} tasks;</li>
 *   <li>{@code <topic>.retry-<N>ms}: retries, each with a {@code herald-not-before} header, in the delay tier
 *       of {@link RetryTiers} that fits their backoff (500 ms to 256 s). The retry consumer pauses a partition
 *       until its head record is due instead of sleeping on a worker thread; since one tier's records wait
 *       about equally long, a long backoff never holds up a short one behind it by more than its tier's length;</li>
 *   <li>{@code <topic>.dlt}: tasks that failed for good, with the reason in {@code herald-reason}.</li>
 * </ul>
 * The producer waits for acks=all (idempotent). Offsets are committed only after the handler returned,
 * i.e. after the outcomes are stored; a handler failure re-delivers the batch.
 */
class KafkaTransport implements Transport, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(KafkaTransport.class);
    static final String NOT_BEFORE = "herald-not-before";
    static final String REASON = "herald-reason";
    private static final long SEND_TIMEOUT_S = 60;
    private static final int OPS_TIMEOUT_MS = 5_000;
    static final String NAME = "kafka";

    private final String bootstrapServers;
    private final String topic;
    private final Map<Long, String> retryTopics = new LinkedHashMap<>();
    private final String deadLetterTopic;
    private final int partitions;
    private final String group;
    private final int tasksPerRecord;
    private final DefaultKafkaProducerFactory<Long, byte[]> producerFactory;
    /** Where the Kafka clients' own metrics go (kafka_producer_*, kafka_consumer_*); null in tests without one. */
    private volatile io.micrometer.core.instrument.MeterRegistry meters;
    private final KafkaTemplate<Long, byte[]> template;
    private final CachedDepths depths;
    private final BoundedCall<Integer> probe;
    private final Map<String, Integer> partitionCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private Admin opsAdmin;
    private final TaskTracing tracing;
    private ConcurrentMessageListenerContainer<Long, byte[]> container;
    private Thread retryThread;
    private volatile boolean retrying;

    KafkaTransport(String bootstrapServers, String topic, int partitions, String group) {
        this(bootstrapServers, topic, partitions, group, 100, Duration.ofSeconds(5), TaskTracing.OFF);
    }

    KafkaTransport(String bootstrapServers, String topic, int partitions, String group, int tasksPerRecord,
                   Duration depthCacheTtl, TaskTracing tracing) {
        this.tracing = tracing;
        this.bootstrapServers = bootstrapServers;
        this.depths = new CachedDepths(NAME, this::queryLag, depthCacheTtl, Duration.ofSeconds(3));
        this.probe = new BoundedCall<>("herald-broker-probe-" + NAME, () -> opsAdmin().describeCluster(
                new DescribeClusterOptions().timeoutMs(OPS_TIMEOUT_MS)).nodes().get(OPS_TIMEOUT_MS, TimeUnit.MILLISECONDS).size());
        this.topic = topic;
        for (long tier : RetryTiers.MILLIS) {
            retryTopics.put(tier, topic + ".retry-" + tier + "ms");
        }
        this.deadLetterTopic = topic + ".dlt";
        this.partitions = Math.max(1, partitions);
        this.group = group;
        this.tasksPerRecord = Math.max(1, tasksPerRecord);
        Map<String, Object> producer = new HashMap<>();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-producer");
        this.producerFactory = new DefaultKafkaProducerFactory<>(producer, new LongSerializer(), new ByteArraySerializer());
        this.template = new KafkaTemplate<>(producerFactory);
        ensureTopics();
    }

    /** Creates the topics if missing and waits until every partition accepts writes. */
    private void ensureTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(topic, partitions, (short) -1));
            retryTopics.values().forEach(name -> topics.add(new NewTopic(name, partitions, (short) -1)));
            topics.add(new NewTopic(deadLetterTopic, 1, (short) -1));
            for (NewTopic newTopic : topics) {
                try {
                    admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
                    log.info("Created Kafka topic {} ({} partitions)", newTopic.name(), newTopic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create Kafka topic " + newTopic.name(), e.getCause());
                    }
                }
            }
            // A producer writing before the broker applied a new topic can wedge a partition
            // (KAFKA-15591); ListOffsets succeeds only once the broker leads every partition.
            for (NewTopic newTopic : topics) {
                awaitWritable(admin, newTopic.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " is not usable", e);
        }
    }

    private static void awaitWritable(Admin admin, String name) throws InterruptedException, TimeoutException,
            ExecutionException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                int count = admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(name).partitions().size();
                Map<TopicPartition, OffsetSpec> request = IntStream.range(0, count)
                        .mapToObj(p -> new TopicPartition(name, p))
                        .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // Metadata of a topic just created may not have reached the broker yet.
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void publish(List<DeliveryTask> tasks) {
        List<CompletableFuture<?>> sends = new ArrayList<>(tasks.size() / tasksPerRecord + 1);
        Map<String, String> trace = tracing.current();
        for (int from = 0; from < tasks.size(); from += tasksPerRecord) {
            List<DeliveryTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + tasksPerRecord));
            ProducerRecord<Long, byte[]> record = new ProducerRecord<>(topic, chunk.get(0).recipientId(), TaskCodec.encode(chunk));
            addTrace(record, trace);
            sends.add(template.send(record));
        }
        await(sends);
    }

    @Override
    public void publishRetry(DeliveryTask task, Duration delay) {
        ProducerRecord<Long, byte[]> record = new ProducerRecord<>(
                retryTopics.get(RetryTiers.tierFor(delay)), task.recipientId(), TaskCodec.encode(task));
        // The retry's batch becomes a child of the batch that scheduled it: one trace across all attempts.
        addTrace(record, tracing.current());
        long notBefore = System.currentTimeMillis() + delay.toMillis();
        record.headers().add(NOT_BEFORE, ByteBuffer.allocate(8).putLong(notBefore).array());
        await(List.of(template.send(record)));
    }

    @Override
    public void deadLetter(DeliveryTask task, String reason) {
        ProducerRecord<Long, byte[]> record = new ProducerRecord<>(deadLetterTopic, task.recipientId(), TaskCodec.encode(task));
        record.headers().add(REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        addTrace(record, tracing.current());
        await(List.of(template.send(record)));
    }

    private static void addTrace(ProducerRecord<Long, byte[]> record, Map<String, String> trace) {
        if (trace != null) {
            trace.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The trace headers a record was published with (null: none). */
    private static Map<String, String> trace(ConsumerRecord<Long, byte[]> record) {
        Header traceparent = record.headers().lastHeader("traceparent");
        if (traceparent == null) {
            return null;
        }
        Map<String, String> trace = new HashMap<>(4);
        trace.put("traceparent", new String(traceparent.value(), StandardCharsets.UTF_8));
        Header tracestate = record.headers().lastHeader("tracestate");
        if (tracestate != null) {
            trace.put("tracestate", new String(tracestate.value(), StandardCharsets.UTF_8));
        }
        return trace;
    }

    /** Decodes the records and hands their tasks to {@code handler} inside a batch span. */
    private void handle(DeliveryHandler handler, List<ConsumerRecord<Long, byte[]>> records) {
        List<DeliveryTask> tasks = new ArrayList<>(records.size());
        List<Map<String, String>> traces = new ArrayList<>(records.size());
        for (ConsumerRecord<Long, byte[]> record : records) {
            try {
                tasks.addAll(TaskCodec.decode(record.value()));
                traces.add(trace(record));
            } catch (IllegalArgumentException e) {
                log.warn("Dropping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
        tracing.handle(handler, tasks, traces);
    }

    private static void await(List<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the publish", e);
        }
    }

    /** Reports the producer's and every consumer's client metrics to {@code registry}; call before the first send. */
    void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        this.meters = registry;
        producerFactory.addListener(new MicrometerProducerListener<>(registry));
    }

    private DefaultKafkaConsumerFactory<Long, byte[]> consumerFactory(String groupId, int batchSize) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, batchSize / tasksPerRecord));
        // A killed worker's partitions move to the others after this long.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        DefaultKafkaConsumerFactory<Long, byte[]> factory =
                new DefaultKafkaConsumerFactory<>(props, new LongDeserializer(), new ByteArrayDeserializer());
        if (meters != null) {
            factory.addListener(new MicrometerConsumerListener<>(meters));
        }
        return factory;
    }

    @Override
    public synchronized void startConsuming(DeliveryHandler handler, ConsumerSettings settings) {
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setShutdownTimeout(30_000);
        properties.setMessageListener((BatchMessageListener<Long, byte[]>) records -> handle(handler, records));
        ConcurrentMessageListenerContainer<Long, byte[]> c =
                new ConcurrentMessageListenerContainer<>(consumerFactory(group, settings.batchSize()), properties);
        // more consumers than partitions would sit idle
        c.setConcurrency(Math.min(settings.consumers(), partitions));
        c.setBeanName("herald-kafka");
        // The handler threw: nothing of the batch is stored, so deliver it again (after a pause), forever;
        // a batch is never skipped.
        c.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(1_000, FixedBackOff.UNLIMITED_ATTEMPTS)));
        c.start();
        container = c;

        retrying = true;
        Consumer<Long, byte[]> retryConsumer = consumerFactory(group + "-retry", settings.batchSize()).createConsumer();
        retryThread = new Thread(() -> consumeRetries(retryConsumer, handler), "herald-kafka-retry");
        retryThread.setDaemon(true);
        retryThread.start();
    }

    /**
     * The retry topics' consumer: hands due records to the handler and commits them; on a record that is
     * not due yet it rewinds its partition to that record and pauses the partition until the record is due.
     */
    private void consumeRetries(Consumer<Long, byte[]> consumer, DeliveryHandler handler) {
        Map<TopicPartition, Long> pausedUntil = new HashMap<>();
        try (consumer) {
            consumer.subscribe(List.copyOf(retryTopics.values()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    revoked.forEach(pausedUntil::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                }
            });
            while (retrying) {
                long now = System.currentTimeMillis();
                List<TopicPartition> resume = new ArrayList<>();
                for (Iterator<Map.Entry<TopicPartition, Long>> it = pausedUntil.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<TopicPartition, Long> entry = it.next();
                    if (entry.getValue() <= now) {
                        resume.add(entry.getKey());
                        it.remove();
                    }
                }
                if (!resume.isEmpty()) {
                    consumer.resume(resume);
                }
                ConsumerRecords<Long, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                now = System.currentTimeMillis();
                List<ConsumerRecord<Long, byte[]>> due = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
                Map<TopicPartition, Long> firstOffsets = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<Long, byte[]> record : records.records(tp)) {
                        firstOffsets.putIfAbsent(tp, record.offset());
                        long notBefore = notBefore(record);
                        if (notBefore > now) {
                            consumer.seek(tp, record.offset());
                            consumer.pause(List.of(tp));
                            pausedUntil.put(tp, notBefore);
                            break;
                        }
                        due.add(record);
                        commits.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                if (due.isEmpty()) {
                    continue;
                }
                try {
                    handle(handler, due);
                } catch (RuntimeException e) {
                    log.warn("Retry batch of {} failed, will be delivered again: {}", due.size(), e.toString());
                    firstOffsets.forEach(consumer::seek);
                    sleepQuietly(1_000);
                    continue;
                }
                try {
                    consumer.commitSync(commits);
                } catch (RuntimeException e) {
                    // Rebalanced meanwhile: the new owner sees these again, and the worker skips them.
                    log.warn("Could not commit retry offsets: {}", e.toString());
                }
            }
        } catch (RuntimeException e) {
            log.error("Kafka retry consumer stopped", e);
        }
    }

    private static long notBefore(ConsumerRecord<Long, byte[]> record) {
        Header header = record.headers().lastHeader(NOT_BEFORE);
        return header == null || header.value().length != 8 ? 0 : ByteBuffer.wrap(header.value()).getLong();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stopConsuming() {
        retrying = false;
        if (container != null) {
            // Waits for the batches in progress to finish and commit; the rest stays in the topic.
            container.stop();
            container = null;
        }
        if (retryThread != null) {
            try {
                retryThread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            retryThread = null;
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    /**
     * Lag of Herald's consumer groups: the work topic ({@code group}) and each retry tier ({@code group-retry}; a
     * retry waiting for its time counts), in records: end offset minus committed offset per partition, or minus the
     * earliest offset where the group committed nothing yet. The dead-letter topic has no consumer; its records kept
     * (end minus earliest) are reported as a depth.
     */
    @Override
    public List<QueueDepth> depths() {
        return depths.get();
    }

    private List<QueueDepth> queryLag() throws Exception {
        Admin admin = opsAdmin();
        List<String> topics = new ArrayList<>();
        topics.add(topic);
        topics.addAll(retryTopics.values());
        topics.add(deadLetterTopic);
        if (!partitionCounts.keySet().containsAll(topics)) {
            admin.describeTopics(topics).allTopicNames().get(OPS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .forEach((name, description) -> partitionCounts.put(name, description.partitions().size()));
        }
        List<TopicPartition> all = new ArrayList<>();
        for (String name : topics) {
            for (int p = 0; p < partitionCounts.getOrDefault(name, 0); p++) {
                all.add(new TopicPartition(name, p));
            }
        }
        Map<TopicPartition, Long> latest = offsets(admin, all, OffsetSpec.latest());
        Map<TopicPartition, Long> earliest = offsets(admin, all, OffsetSpec.earliest());
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        for (String groupId : List.of(group, group + "-retry")) {
            committed.putAll(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(OPS_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        Map<String, Long> byTopic = new LinkedHashMap<>();
        topics.forEach(name -> byTopic.put(name, 0L));
        for (TopicPartition tp : all) {
            long end = latest.getOrDefault(tp, 0L);
            long start = earliest.getOrDefault(tp, 0L);
            OffsetAndMetadata done = tp.topic().equals(deadLetterTopic) ? null : committed.get(tp);
            long from = done == null ? start : Math.max(start, done.offset());
            byTopic.merge(tp.topic(), Math.max(0, end - from), Long::sum);
        }
        List<QueueDepth> result = new ArrayList<>();
        byTopic.forEach((name, lag) -> result.add(new QueueDepth(NAME, name, lag,
                name.equals(deadLetterTopic) ? QueueDepth.Kind.DEPTH : QueueDepth.Kind.LAG)));
        return result;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listOffsets(request).all().get(OPS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    /** The cluster answers a metadata request within {@code timeout}: the broker nodes it reports. */
    @Override
    public BrokerCheck check(Duration timeout) {
        try {
            int nodes = probe.get(timeout);
            return new BrokerCheck(NAME, nodes > 0, nodes + " broker node(s) at " + bootstrapServers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BrokerCheck(NAME, false, "interrupted");
        } catch (Exception e) {
            return new BrokerCheck(NAME, false, bootstrapServers + ": " + e);
        }
    }

    /** One long-lived admin client for depths and health; it reconnects by itself when the broker comes back. */
    private synchronized Admin opsAdmin() {
        if (opsAdmin == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-ops");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, OPS_TIMEOUT_MS);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, OPS_TIMEOUT_MS);
            config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
            opsAdmin = Admin.create(config);
        }
        return opsAdmin;
    }

    @Override
    public void destroy() {
        stopConsuming();
        producerFactory.destroy();
        depths.close();
        probe.close();
        synchronized (this) {
            if (opsAdmin != null) {
                opsAdmin.close(Duration.ofSeconds(2));
                opsAdmin = null;
            }
        }
    }
}
