package io.herald.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.HeraldApplication;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Herald process in its own JVM (the test's class path), for faults only a real process has: SIGKILL, SIGSTOP.
 * Its output goes to {@code target/<name>.log}.
 */
public final class ChildHerald implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String name;
    private final Integer port;

    private ChildHerald(Process process, String name, Integer port) {
        this.process = process;
        this.name = name;
        this.port = port;
    }

    /** Starts {@code herald.roles=roles}; with an api role it listens on {@code port} (else give null). */
    public static ChildHerald start(String name, String roles, Integer port, Map<String, String> properties) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
        command.addAll(poolSettings());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeraldApplication.class.getName(),
                "--herald.roles=" + roles));
        if (port != null) {
            command.add("--server.port=" + port);
        }
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        File log = Path.of("target", name + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        return new ChildHerald(process, name, port);
    }

    /**
     * The test run's connection-pool settings ({@code spring.datasource.hikari.*} system properties, see the pom), as
     * JVM options for a child: its pool then shrinks when idle like the test JVM's own.
     */
    public static List<String> poolSettings() {
        return System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spring.datasource.hikari."))
                .sorted().map(k -> "-D" + k + "=" + System.getProperty(k)).toList();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits up to {@code timeout} for a graceful shutdown; true when it ended. */
    public boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: whatever it had in flight is lost with it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process stops dead, connections open, until {@link #thaw()}. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits until its HTTP API answers (an api process). */
    public void awaitHttp(Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see target/" + name + ".log");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not answer within " + timeout);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** POSTs JSON (null: no body) and returns status and parsed body. */
    public HeraldProcess.Response post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
        return new HeraldProcess.Response(response.statusCode(), json);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                thaw(); // a frozen process ignores SIGTERM until it runs again
            } catch (IOException | IllegalStateException ignored) {
                // already gone
            }
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
