package io.herald.config;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's HTTP/1.1 NIO protocol with a deadline for a request's line and headers (a slowloris defence).
 * <p>
 * Tomcat's {@code connection-timeout} limits each wait for the next bytes, so a client that sends one header byte a
 * second keeps its connection forever. Here the request line and headers must all arrive within
 * {@code headerTimeoutMillis} of their first byte; a sweeper closes connections still parsing headers after that,
 * through the endpoint (as Tomcat's own read timeout does). Waiting for bytes holds no request thread (NIO), so slow
 * clients cost one socket each until cut off, never a thread.
 */
public class HeaderDeadlineProtocol extends Http11NioProtocol {
    private static final Logger log = LoggerFactory.getLogger(HeaderDeadlineProtocol.class);

    private volatile long headerTimeoutMillis = 10_000;
    private ScheduledExecutorService sweeper;

    /** 0 or less turns the deadline off. */
    public void setHeaderTimeoutMillis(long headerTimeoutMillis) {
        this.headerTimeoutMillis = headerTimeoutMillis;
    }

    public long getHeaderTimeoutMillis() {
        return headerTimeoutMillis;
    }

    @Override
    public void start() throws Exception {
        super.start();
        if (headerTimeoutMillis > 0) {
            long period = Math.max(100, Math.min(1_000, headerTimeoutMillis / 4));
            sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, getName() + "-header-deadline");
                thread.setDaemon(true);
                return thread;
            });
            sweeper.scheduleWithFixedDelay(this::closeSlowHeaders, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void pause() throws Exception {
        stopSweeper();
        super.pause();
    }

    @Override
    public void stop() throws Exception {
        stopSweeper();
        super.stop();
    }

    @Override
    public void destroy() throws Exception {
        stopSweeper();
        super.destroy();
    }

    private synchronized void stopSweeper() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    /** Closes every connection whose request line and headers began arriving more than the deadline ago. */
    void closeSlowHeaders() {
        try {
            long deadline = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(headerTimeoutMillis);
            AbstractEndpoint<NioChannel, ?> endpoint = getEndpoint();
            int closed = 0;
            for (SocketWrapperBase<NioChannel> socket : endpoint.getConnections()) {
                // A processor stays attached to a socket while no thread serves it: parked mid-request (a request line
                // or headers still incomplete), or serving an async request (an SSE stream), which is left alone. Between
                // keep-alive requests it has been recycled (no start time).
                if (socket.getCurrentProcessor() instanceof Http11Processor processor && !socket.isClosed()
                        && !processor.isAsync() && !processor.isUpgrade()) {
                    Request request = processor.getRequest();
                    long started = request.getStartTimeNanos();
                    if (started > 0 && started - deadline < 0) {
                        endpoint.processSocket(socket, SocketEvent.ERROR, true);
                        closed++;
                    }
                }
            }
            if (closed > 0) {
                log.warn("Closed {} connection(s) whose request headers took longer than {} ms to arrive", closed,
                        headerTimeoutMillis);
            }
        } catch (RuntimeException e) {
            log.warn("Header deadline sweep failed", e); // try again next time: a thrown task would stop the sweeper
        }
    }
}
