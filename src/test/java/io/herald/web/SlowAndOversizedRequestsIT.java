package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slow and oversized requests against Herald on embedded H2, only ever over 127.0.0.1, bounded in time and bytes:
 * slowloris clients (request headers one byte a second) are cut off by the header deadline without starving the
 * (deliberately few) request threads; a 1 GB multipart upload streamed from a generator is refused with a 413
 * problem+json after at most the import limit, never written to disk whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.http.header-timeout=2s",
        // fewer request threads than slow clients: if waiting for their bytes held threads, nothing else would answer
        "server.tomcat.threads.max=8",
        "server.tomcat.threads.min-spare=2",
        // a small import limit keeps the chunked upload quick; the mechanism is the one that guards the real 100MB
        "herald.import.max-bytes=8MB",
})
class SlowAndOversizedRequestsIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long GIGABYTE = 1L << 30;
    private static final long LIMIT = 8L << 20;
    private static final Path UPLOADS = temporaryDirectory();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("spring.servlet.multipart.location", UPLOADS::toString);
    }

    @LocalServerPort
    int port;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeEverything() throws IOException {
        threads.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void slowlorisClientsAreCutOffByTheHeaderDeadlineWhileOthersAreServed() throws Exception {
        byte[] request = ("GET /campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket socket = connect();
            socket.setSoTimeout(5);
            slow.add(socket);
        }
        long started = System.nanoTime();
        // One byte a second to every slow client that is still open, for at most 12 s.
        AtomicBoolean stop = new AtomicBoolean();
        Future<?> trickle = threads.submit(() -> {
            for (int second = 0; second < 12 && !stop.get(); second++) {
                for (Socket socket : slow) {
                    try {
                        socket.getOutputStream().write(request[second]);
                        socket.getOutputStream().flush();
                    } catch (IOException closedByTheServer) {
                        // expected once the deadline passed
                    }
                }
                sleep(1_000);
            }
            return null;
        });

        // While all 50 trickle, ordinary requests still answer at once (8 request threads, 50 slow clients).
        sleep(1_000);
        assertThat(openCount(slow)).as("the slow clients are still connected before their deadline").isEqualTo(50);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Future<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(threads.submit(() -> {
                long t0 = System.nanoTime();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/campaigns"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }));
        }
        for (Future<Long> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS)).as("ms for a request while 50 slow clients are connected")
                    .isLessThan(3_000);
        }

        // The deadline (2 s after each client's first byte, checked every 500 ms) closes all of them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        int open = openCount(slow);
        while (open > 0 && System.nanoTime() < deadline) {
            sleep(200);
            open = openCount(slow);
        }
        long cutAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        stop.set(true);
        trickle.get(15, TimeUnit.SECONDS);
        assertThat(open).as("slow clients still connected %d ms after they started", cutAfterMs).isZero();
        assertThat(cutAfterMs).as("cut off by the 2 s header deadline, not by the 20 s idle timeout").isLessThan(8_000);
    }

    @Test
    void aGigabyteUploadDeclaringItsLengthIsRefusedBeforeItsBodyIsRead() throws Exception {
        Upload upload = upload(false);
        assertThat(upload.status).isEqualTo(413);
        assertThat(upload.contentType).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(upload.body);
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).contains("herald.import.max-bytes");
        assertThat(upload.sent).as("bytes the server let the client send of 1 GB").isLessThan(64L << 20);
        assertThat(upload.largestOnDisk).as("bytes of the upload ever on disk").isZero();
    }

    @Test
    void aGigabyteChunkedUploadIsCutOffAtTheImportLimit() throws Exception {
        Upload upload = upload(true);
        assertThat(upload.status).isEqualTo(413);
        assertThat(upload.contentType).startsWith("application/problem+json");
        assertThat(JSON.readTree(upload.body).get("status").asInt()).isEqualTo(413);
        assertThat(upload.sent).as("bytes the server let the client send of 1 GB").isLessThan(LIMIT + (64L << 20));
        assertThat(upload.largestOnDisk).as("bytes of the upload ever on disk").isLessThanOrEqualTo(LIMIT + (1L << 20));
        assertThat(diskUsage()).as("the refused upload's temporary file is gone").isZero();
    }

    private record Upload(int status, String contentType, String body, long sent, long largestOnDisk) {
    }

    /**
     * Streams a 1 GB multipart upload of generated CSV rows to /recipients/import over a raw socket, as fast as the
     * server takes it, while reading the answer and watching the upload directory; stops when the server answers and
     * stops reading (or after 60 s).
     */
    private Upload upload(boolean chunked) throws Exception {
        String boundary = "----herald-gigabyte";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nname,email\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        Socket socket = connect();
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        String headers = "POST /recipients/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + (head.length + GIGABYTE + tail.length) + "\r\n")
                + "\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));

        AtomicLong sent = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Future<?> writer = threads.submit(() -> {
            byte[] rows = generatedRows(64 * 1024);
            try {
                write(out, head, chunked, sent);
                while (sent.get() < GIGABYTE && !done.get()) {
                    write(out, rows, chunked, sent);
                }
                write(out, tail, chunked, sent);
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException refused) {
                // the server answered and closed the connection: what we want
            }
            return null;
        });
        AtomicLong largestOnDisk = new AtomicLong();
        Future<?> watcher = threads.submit(() -> {
            while (!done.get()) {
                largestOnDisk.accumulateAndGet(diskUsage(), Math::max);
                sleep(10);
            }
            return null;
        });

        byte[] answer = readAnswer(socket.getInputStream());
        done.set(true);
        socket.close();
        writer.get(30, TimeUnit.SECONDS);
        watcher.get(5, TimeUnit.SECONDS);
        largestOnDisk.accumulateAndGet(diskUsage(), Math::max);

        String text = new String(answer, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        assertThat(headerEnd).as("an HTTP answer: %s", text).isPositive();
        String statusLine = text.substring(0, text.indexOf("\r\n"));
        String contentType = text.substring(0, headerEnd).lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse("");
        String body = dechunk(text.substring(headerEnd + 4), text.substring(0, headerEnd));
        return new Upload(Integer.parseInt(statusLine.split(" ")[1]), contentType, body, sent.get(), largestOnDisk.get());
    }

    private static void write(OutputStream out, byte[] bytes, boolean chunked, AtomicLong sent) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        sent.addAndGet(bytes.length);
    }

    /** CSV rows, as many as fit in {@code size} bytes: the upload's content, generated, never a real file. */
    private static byte[] generatedRows(int size) {
        ByteArrayOutputStream rows = new ByteArrayOutputStream(size + 64);
        for (int i = 0; rows.size() < size - 40; i++) {
            rows.writeBytes(("Person " + i + ",person" + i + "@example.com\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        while (rows.size() < size) {
            rows.write('\n');
        }
        return rows.toByteArray();
    }

    /** Reads the answer's head and body (Content-Length or chunked) until the server closes or the body is complete. */
    private static byte[] readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException reset) {
                break; // the server closed right after answering
            }
            if (n < 0) {
                break;
            }
            answer.write(buffer, 0, n);
            if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                break;
            }
        }
        return answer.toByteArray();
    }

    private static boolean complete(String text) {
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return false;
        }
        String head = text.substring(0, headerEnd).toLowerCase(java.util.Locale.ROOT);
        String body = text.substring(headerEnd + 4);
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return body.length() >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return head.contains("transfer-encoding: chunked") && body.endsWith("0\r\n\r\n");
    }

    private static String dechunk(String body, String head) {
        if (!head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        sockets.add(socket);
        return socket;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** How many of the sockets the server has not closed: a read that times out means still open. */
    private static int openCount(List<Socket> sockets) {
        int open = 0;
        for (Socket socket : sockets) {
            try {
                int read = socket.getInputStream().read();
                if (read >= 0) {
                    open++; // an answer (the server would then close): count as open until it does
                }
            } catch (SocketTimeoutException stillOpen) {
                open++;
            } catch (IOException closed) {
                // reset by the server
            }
        }
        return open;
    }

    private static long diskUsage() {
        try (Stream<Path> files = Files.walk(UPLOADS)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // a file vanished mid-walk
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("herald-uploads");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
