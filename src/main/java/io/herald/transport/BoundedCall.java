package io.herald.transport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a broker something on a thread of its own, so that the caller waits at most a given time even when the
 * broker hangs (a client's own connect timeout can be a minute). One question at a time: a caller that comes while
 * the previous one is still out waits for that answer instead of piling up threads behind a dead broker.
 */
final class BoundedCall<T> implements AutoCloseable {
    private final Callable<T> call;
    private final ExecutorService executor;
    private CompletableFuture<T> inFlight;

    BoundedCall(String name, Callable<T> call) {
        this.call = call;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The answer; throws the call's own failure, or a TimeoutException after {@code timeout}. */
    T get(Duration timeout) throws Exception {
        CompletableFuture<T> future;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                CompletableFuture<T> next = new CompletableFuture<>();
                executor.execute(() -> {
                    try {
                        next.complete(call.call());
                    } catch (Throwable e) {
                        next.completeExceptionally(e);
                    }
                });
                inFlight = next;
            }
            future = inFlight;
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no answer within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
