package io.herald.provider;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.NoSuchElementException;

import io.herald.Channel;
import io.herald.EmailAddresses;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Sends email through an SMTP server with Jakarta Mail (Eclipse Angus), configured by Spring Boot's
 * {@code spring.mail.*}. Connections are pooled: up to {@code herald.email.smtp.max-connections} SMTP
 * sessions stay open and each carries many messages; a session that breaks is closed and replaced.
 * <p>
 * HTML campaigns go out as {@code multipart/alternative} (text, then HTML), text campaigns as
 * {@code text/plain; charset=UTF-8}; subjects and display names are RFC 2047-encoded. Every message has
 * a stable {@code Message-ID} made from its idempotency key, {@code X-Herald-Campaign}/{@code X-Herald-Message},
 * and RFC 8058 one-click unsubscribe headers.
 * <p>
 * A 5xx reply about the recipient (e.g. {@code 550 mailbox unavailable}) fails that message at once with the
 * server's reply; 4xx replies, timeouts and connection failures are retried.
 */
public class SmtpProvider implements Provider, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpProvider.class);

    private final Session session;
    private final InternetAddress defaultFrom;
    private final InternetAddress defaultReplyTo;
    private final String messageIdDomain;
    private final GenericObjectPool<Transport> pool;

    SmtpProvider(JavaMailSenderImpl settings, int maxConnections, String defaultFrom, String defaultReplyTo) {
        this.session = settings.getSession();
        this.defaultFrom = EmailAddresses.parse(defaultFrom);
        this.defaultReplyTo = defaultReplyTo == null || defaultReplyTo.isBlank() ? null : EmailAddresses.parse(defaultReplyTo);
        String address = this.defaultFrom.getAddress();
        this.messageIdDomain = address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        GenericObjectPoolConfig<Transport> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(maxConnections);
        config.setMaxIdle(maxConnections);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(BORROW_POLL); // borrow() waits longer, in steps of this
        // Close sessions idle for a minute, before the server's own idle timeout breaks them under us.
        config.setTimeBetweenEvictionRuns(Duration.ofSeconds(20));
        config.setMinEvictableIdleDuration(Duration.ofSeconds(60));
        config.setTestWhileIdle(true);
        config.setJmxEnabled(false);
        this.pool = new GenericObjectPool<>(new Connections(session, settings), config);
    }

    /** Selected by {@code herald.channels.email.provider=smtp}. */
    @Component
    static class Factory implements ProviderFactory {
        private final ObjectProvider<JavaMailSenderImpl> mailSender;
        private final int maxConnections;
        private final String from;
        private final String replyTo;

        Factory(ObjectProvider<JavaMailSenderImpl> mailSender,
                @Value("${herald.email.smtp.max-connections:4}") int maxConnections,
                @Value("${herald.email.from:Herald <herald@localhost>}") String from,
                @Value("${herald.email.reply-to:}") String replyTo) {
            this.mailSender = mailSender;
            this.maxConnections = maxConnections;
            this.from = from;
            this.replyTo = replyTo;
        }

        @Override
        public String name() {
            return "smtp";
        }

        @Override
        public boolean supports(Channel channel) {
            return channel == Channel.EMAIL;
        }

        @Override
        public Provider create() {
            JavaMailSenderImpl sender = mailSender.getIfAvailable();
            if (sender == null) {
                throw new IllegalStateException("the smtp provider needs an SMTP server: set spring.mail.host"
                        + " (and spring.mail.port, username, password as needed)");
            }
            if (maxConnections < 1) {
                throw new IllegalStateException("herald.email.smtp.max-connections must be >= 1, got " + maxConnections);
            }
            for (String[] address : new String[][]{{"herald.email.from", from}, {"herald.email.reply-to", replyTo}}) {
                if (address[1] != null && !address[1].isBlank() && EmailAddresses.problem(address[1]) != null) {
                    throw new IllegalStateException(address[0] + " " + EmailAddresses.problem(address[1]));
                }
            }
            return new SmtpProvider(sender, maxConnections, from, replyTo);
        }
    }

    @Override
    public SendResult send(OutboundMessage message) {
        MimeMessage mime;
        try {
            mime = compose(message);
        } catch (MessagingException | UnsupportedEncodingException e) {
            return new SendResult.PermanentFailure("could not build the email: " + e.getMessage());
        }
        Transport transport;
        try {
            transport = borrow();
        } catch (Exception e) {
            return new SendResult.RetryableFailure("SMTP server unreachable: " + describe(e));
        }
        boolean reusable = false;
        try {
            transport.sendMessage(mime, mime.getAllRecipients());
            reusable = true;
            return SendResult.SENT;
        } catch (SendFailedException e) {
            SendResult result = classify(e);
            // A rejected recipient leaves the session usable (the transport sent RSET); anything else may not.
            reusable = recipientRejection(e) != null;
            return result;
        } catch (MessagingException e) {
            return classify(e);
        } catch (IllegalStateException e) {
            // "Not connected": the server closed the session while it was idle in the pool.
            return new SendResult.RetryableFailure("SMTP session closed by the server: " + e.getMessage());
        } finally {
            release(transport, reusable);
        }
    }

    /** The recipient-level rejection inside a send failure, if that is what it was. */
    private static SMTPAddressFailedException recipientRejection(MessagingException e) {
        for (Exception next = e; next != null; next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException rejected) {
                return rejected;
            }
        }
        return null;
    }

    static SendResult classify(MessagingException e) {
        SMTPAddressFailedException rejected = recipientRejection(e);
        if (rejected != null) {
            return byCode(rejected.getReturnCode(), reply(rejected));
        }
        for (Exception next = e; next != null; next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPSendFailedException failed) {
                return byCode(failed.getReturnCode(), reply(failed));
            }
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof SocketTimeoutException) {
            return new SendResult.RetryableFailure("SMTP server timed out: " + describe(e));
        }
        if (cause instanceof IOException) {
            return new SendResult.RetryableFailure("SMTP connection failed: " + describe(e));
        }
        return new SendResult.RetryableFailure("SMTP error: " + describe(e));
    }

    private static SendResult byCode(int code, String reply) {
        return code >= 500 && code < 600
                ? new SendResult.PermanentFailure("SMTP server rejected the message: " + reply)
                : new SendResult.RetryableFailure("SMTP server deferred the message: " + reply);
    }

    /** The server's own reply line, e.g. {@code 550 5.1.1 mailbox unavailable}. */
    private static String reply(MessagingException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().strip();
        return text.isEmpty() ? e.getClass().getSimpleName() : text;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return text.toString();
    }

    private static final Duration BORROW_POLL = Duration.ofSeconds(1);
    private static final Duration BORROW_MAX_WAIT = Duration.ofMinutes(2);

    /**
     * A pooled session, waiting up to {@link #BORROW_MAX_WAIT} for one. The wait is made of one-second borrows because
     * a thread waiting inside the pool only wakes when a session is returned: when the server was down, the sessions
     * were invalidated, and the pool's own attempt to replace them for the waiters failed (connection refused), the
     * waiters slept out the whole wait although the pool had room again (a 1,000-task batch sat two minutes after the
     * server came back). Each new borrow opens a session itself when there is room.
     */
    private Transport borrow() throws Exception {
        long deadline = System.nanoTime() + BORROW_MAX_WAIT.toNanos();
        while (true) {
            try {
                return pool.borrowObject();
            } catch (NoSuchElementException exhausted) {
                if (System.nanoTime() > deadline) {
                    throw exhausted;
                }
            }
        }
    }

    private void release(Transport transport, boolean reusable) {
        try {
            if (reusable) {
                pool.returnObject(transport);
            } else {
                pool.invalidateObject(transport);
            }
        } catch (Exception e) {
            log.debug("Could not return an SMTP session to the pool: {}", e.toString());
        }
    }

    MimeMessage compose(OutboundMessage message) throws MessagingException, UnsupportedEncodingException {
        OutboundMessage.Email email = message.email();
        if (email == null) {
            throw new MessagingException("not an email: channel " + message.channel().key());
        }
        String messageId = "<" + message.idempotencyKey().replaceAll("[^A-Za-z0-9._-]", "_") + "@" + messageIdDomain + ">";
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // Stable across retries, so a receiver that sees a message twice can tell it is the same one.
                setHeader("Message-ID", messageId);
            }
        };
        mime.setFrom(email.from() == null ? defaultFrom : EmailAddresses.parse(email.from()));
        InternetAddress replyTo = email.replyTo() == null ? defaultReplyTo : EmailAddresses.parse(email.replyTo());
        if (replyTo != null) {
            mime.setReplyTo(new Address[]{replyTo});
        }
        String name = message.recipient().name();
        mime.setRecipient(Message.RecipientType.TO, name == null || name.isBlank()
                ? new InternetAddress(message.recipient().email(), true)
                : new InternetAddress(message.recipient().email(), name, StandardCharsets.UTF_8.name()));
        mime.setSubject(email.subject(), StandardCharsets.UTF_8.name());
        mime.setHeader("X-Herald-Campaign", Long.toString(message.campaignId()));
        mime.setHeader("X-Herald-Message", Long.toString(message.messageId()));
        if (email.unsubscribeUrl() != null) {
            mime.setHeader("List-Unsubscribe", "<" + email.unsubscribeUrl() + ">");
            mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        if (email.html() == null) {
            mime.setText(email.text(), StandardCharsets.UTF_8.name(), "plain");
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text() == null ? "" : email.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.html(), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mime.setContent(alternative);
        }
        mime.setSentDate(new java.util.Date());
        mime.saveChanges();
        return mime;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Opens, checks and closes pooled SMTP sessions. */
    private static final class Connections extends BasePooledObjectFactory<Transport> {
        private final Session session;
        private final JavaMailSenderImpl settings;

        Connections(Session session, JavaMailSenderImpl settings) {
            this.session = session;
            this.settings = settings;
        }

        @Override
        public Transport create() throws MessagingException {
            Transport transport = session.getTransport(settings.getProtocol() == null ? "smtp" : settings.getProtocol());
            String user = settings.getUsername();
            transport.connect(settings.getHost(), settings.getPort(), user == null || user.isEmpty() ? null : user,
                    settings.getPassword());
            return transport;
        }

        @Override
        public PooledObject<Transport> wrap(Transport transport) {
            return new DefaultPooledObject<>(transport);
        }

        @Override
        public boolean validateObject(PooledObject<Transport> pooled) {
            return pooled.getObject().isConnected();
        }

        @Override
        public void destroyObject(PooledObject<Transport> pooled) {
            try {
                pooled.getObject().close();
            } catch (MessagingException e) {
                // Already broken: nothing to close politely.
            }
        }
    }
}
