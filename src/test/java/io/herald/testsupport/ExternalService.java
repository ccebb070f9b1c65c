package io.herald.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Assumptions;

/**
 * Guards integration tests that need a real local service. On a developer laptop without the service
 * the test is skipped, loudly; under CI ({@code CI=true}) a missing service fails the test instead.
 */
public final class ExternalService {
    private ExternalService() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails (CI) or skips (laptop) unless something listens on 127.0.0.1:{@code port}. */
    public static void require(String name, int port) {
        if (reachable(port)) {
            return;
        }
        String message = name + " is not reachable on 127.0.0.1:" + port;
        if (ci()) {
            throw new AssertionError(message + " (CI=true: integration tests must not skip)");
        }
        System.err.println("SKIPPING: " + message);
        Assumptions.abort(message);
    }

    public static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
