package io.herald.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.herald.Channel;
import io.herald.email.RejectingGreenMail;

import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * SMTP send rate with the connection pool at several sizes, against a local SMTP server (GreenMail in this
 * JVM, 127.0.0.1), and with a new connection per message for comparison. Run by {@code bench/smtp [N]}.
 * Prints one line per mode and a JSON line last.
 */
public final class SmtpPoolBenchmark {
    private SmtpPoolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        int port = io.herald.testsupport.Ports.free();
        RejectingGreenMail server = new RejectingGreenMail(port);
        server.start();
        try {
            JavaMailSenderImpl settings = new JavaMailSenderImpl();
            settings.setHost("127.0.0.1");
            settings.setPort(port);
            run(settings, 4, 200, "warm-up");
            double perMessage = perMessageConnection(settings, Math.max(200, messages / 5));
            double one = run(settings, 1, messages, "pool of 1 connection");
            double four = run(settings, 4, messages, "pool of 4 connections");
            double eight = run(settings, 8, messages, "pool of 8 connections");
            System.out.printf(Locale.ROOT, "{\"messages\":%d,\"connection_per_message_per_sec\":%.0f,\"pool_1_per_sec\":%.0f,"
                    + "\"pool_4_per_sec\":%.0f,\"pool_8_per_sec\":%.0f}%n", messages, perMessage, one, four, eight);
        } finally {
            server.stop();
        }
    }

    private static double run(JavaMailSenderImpl settings, int connections, int messages, String label) throws Exception {
        try (SmtpProvider provider = new SmtpProvider(settings, connections, "Bench <bench@herald.test>", null)) {
            return timed(label, messages, i -> provider.send(message(i)));
        }
    }

    /** What the pool replaces: connect, say hello, send one message, quit, for every message. */
    private static double perMessageConnection(JavaMailSenderImpl settings, int messages) throws Exception {
        return timed("new connection per message", messages, i -> {
            try (SmtpProvider provider = new SmtpProvider(settings, 1, "Bench <bench@herald.test>", null)) {
                return provider.send(message(i));
            }
        });
    }

    interface Send {
        SendResult send(int i) throws Exception;
    }

    private static double timed(String label, int messages, Send send) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(32);
        long start = System.nanoTime();
        List<Future<SendResult>> results = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            int n = i;
            results.add(threads.submit(() -> send.send(n)));
        }
        for (Future<SendResult> result : results) {
            if (!(result.get() instanceof SendResult.Sent)) {
                throw new IllegalStateException(label + ": " + result.get());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        threads.shutdown();
        double rate = messages / seconds;
        System.out.printf(Locale.ROOT, "[smtp] %-28s %6d messages in %6.2f s = %7.0f msg/s%n", label, messages, seconds, rate);
        return rate;
    }

    private static OutboundMessage message(int i) {
        String html = "<p>Hello <b>Reader " + i + "</b>, this is a benchmark message.</p>";
        return new OutboundMessage(i, "herald-1-" + i, 1, Channel.EMAIL,
                new OutboundMessage.Recipient(i, "Reader " + i, "reader" + i + "@bench.test", null), html,
                new OutboundMessage.Email("Benchmark " + i, html, "Hello Reader " + i + ", this is a benchmark message.",
                        null, null, "http://127.0.0.1:8080/u/" + i + ".1.x"));
    }
}
