package io.herald.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker (KRaft, broker + controller in one node) running
 * inside the test JVM, listening on 127.0.0.1 on free ports, with its data in a temp dir.
 *
 * <p>Started lazily once per JVM ({@link #get()} / {@link #bootstrapServers()}); a JVM
 * shutdown hook stops it and deletes its data. Topics are auto-created with 8 partitions.
 *
 * <p>It runs the same code path as {@code kafka.Kafka} (the {@code kafka-server-start}
 * main): the storage is formatted with {@code kafka.tools.StorageTool format} and the
 * server is a {@link KafkaRaftServer}. Needs {@code org.apache.kafka:kafka_2.13} (test scope).
 */
public final class KafkaTestBroker {

    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private static volatile KafkaTestBroker instance;

    private final Path dataDir;
    private final Properties props;
    private volatile KafkaRaftServer server;
    private final String bootstrapServers;
    private final long startupMillis;

    private KafkaTestBroker(Path dataDir, Properties props, KafkaRaftServer server, String bootstrapServers,
                            long startupMillis) {
        this.dataDir = dataDir;
        this.props = props;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.startupMillis = startupMillis;
    }

    /**
     * A broker of the caller's own (not the JVM-wide one), for tests that take it down with {@link #pause()} and
     * bring it back with {@link #resume()}; {@link #close()} stops it and deletes its data.
     */
    public static KafkaTestBroker startDedicated() {
        return startWithRetries();
    }

    /** {@code 127.0.0.1:<port>} of this broker. */
    public String address() {
        return bootstrapServers;
    }

    /** Shuts the broker down (clients lose it); its data and ports stay for {@link #resume()}. */
    public synchronized void pause() {
        if (server != null) {
            shutdownQuietly(server);
            server = null;
        }
    }

    /** Starts the broker again on the same ports and data, and waits until it listens. */
    public synchronized void resume() throws InterruptedException {
        if (server == null) {
            KafkaRaftServer restarted = new KafkaRaftServer(new KafkaConfig(props, true), Time.SYSTEM);
            restarted.startup();
            server = restarted;
            awaitPort(Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1)), 60_000);
        }
    }

    /** Stops a dedicated broker and deletes its data. */
    public void close() {
        stop();
    }

    /** The JVM-wide broker, started on first use. */
    public static KafkaTestBroker get() {
        KafkaTestBroker broker = instance;
        if (broker == null) {
            synchronized (KafkaTestBroker.class) {
                broker = instance;
                if (broker == null) {
                    broker = startWithRetries();
                    KafkaTestBroker started = broker;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::stopAtExit, "kafka-test-broker-shutdown"));
                    instance = broker;
                }
            }
        }
        return broker;
    }

    /** {@code 127.0.0.1:<port>} of the JVM-wide broker (starting it if needed). */
    public static String bootstrapServers() {
        return get().bootstrapServers;
    }

    /**
     * Creates a topic (if absent) and waits until every partition is writable on the broker.
     *
     * <p>Use this rather than a bare {@code Admin.createTopics} before producing: Kafka
     * 4.3's {@code createTopics} returns once the controller has committed the topic, and a
     * producer with several requests in flight that writes right away can have its first
     * batch rejected (NOT_LEADER_OR_FOLLOWER, the broker has not applied the topic yet)
     * while a later batch is accepted, after which the first batch fails forever with
     * OUT_OF_ORDER_SEQUENCE_NUMBER until {@code delivery.timeout.ms} (KAFKA-15591, fixed
     * in Kafka 4.5).
     */
    public static void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitPartitionsWritable(admin, topic, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + topic, e);
        }
    }

    /**
     * ListOffsets is answered by the broker's replica manager, so once it succeeds for every
     * partition the broker leads them all and accepts produce requests for them.
     */
    private static void awaitPartitionsWritable(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p))
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** How long the broker took to format and start, in milliseconds. */
    public long startupMillis() {
        return startupMillis;
    }

    public Path dataDir() {
        return dataDir;
    }

    private static KafkaTestBroker startWithRetries() {
        // Kafka calls Exit.exit/halt on fatal errors; in a test JVM that would kill the
        // test run (surefire/failsafe would only report "the forked VM terminated").
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka called Exit.exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka called Exit.halt(" + status + "): " + message);
        });
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return start();
            } catch (RuntimeException e) {
                // The usual cause is losing the race for the controller port picked by
                // freePort(); try again with fresh ports and a fresh data dir.
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw new IllegalStateException("Kafka test broker did not start after " + START_ATTEMPTS + " attempts", failure);
    }

    private static KafkaTestBroker start() {
        long t0 = System.nanoTime();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("herald-kafka-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaRaftServer server = null;
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = brokerProperties(dataDir, brokerPort, controllerPort);
            Path propsFile = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "Herald in-JVM Kafka test broker");
            }
            format(propsFile);

            server = new KafkaRaftServer(new KafkaConfig(props, true), Time.SYSTEM);
            server.startup();
            String bootstrap = HOST + ":" + brokerPort;
            // startup() returns once the broker is unfenced and serving; check the socket anyway.
            awaitPort(brokerPort, 30_000);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new KafkaTestBroker(dataDir, props, server, bootstrap, millis);
        } catch (Exception e) {
            if (server != null) {
                shutdownQuietly(server);
            }
            deleteRecursively(dataDir);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("logs").toString());

        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("num.partitions", "8");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "8");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "8");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("delete.topic.enable", "true");

        // keep it light on a small machine / small test heap
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("background.threads", "2");
        p.setProperty("log.cleaner.threads", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", "2097152"); // default 128 MiB of heap
        return p;
    }

    /** {@code kafka-storage format}, exactly as the CLI does it. */
    private static void format(Path propsFile) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed (" + rc + "): "
                    + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1_000);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Kafka test broker not answering on " + HOST + ":" + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * At JVM exit the broker's controlled shutdown sometimes waits on its own controller channel for half a minute
     * (Surefire then kills the fork, 30 s after the tests ended): give it a few seconds, then delete the data anyway.
     */
    private void stopAtExit() {
        Thread stopping = new Thread(this::stop, "kafka-test-broker-stop");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            System.err.println("Kafka test broker: not stopped within 5 s at exit; leaving it to the JVM's end");
            deleteRecursively(dataDir);
        }
    }

    private synchronized void stop() {
        if (server != null) {
            shutdownQuietly(server);
            server = null;
        }
        deleteRecursively(dataDir);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            System.err.println("Kafka test broker: shutdown failed: " + e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("Kafka test broker: could not delete " + dir + ": " + e);
        }
    }
}
