package io.herald.email;

import java.util.Map;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A real SMTP server (GreenMail) on 127.0.0.1 that answers {@code RCPT TO} for any address whose local part
 * starts with {@code rejected} with {@code 550 5.1.1 mailbox unavailable}, as a mail server does for an
 * address it does not know; every other address is accepted.
 */
public class RejectingGreenMail extends GreenMail {
    public static final String REJECTED_PREFIX = "rejected";

    public RejectingGreenMail(int port) {
        super(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }


    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers ignored) {
        Managers rejecting = new Managers() {
            private final SmtpManager smtp = new SmtpManager(getImapHostManager(), getUserManager()) {
                @Override
                public String checkRecipient(SmtpState state, MailAddress address) {
                    return address.getUser().startsWith(REJECTED_PREFIX) ? "550 5.1.1 mailbox unavailable" : null;
                }
            };

            @Override
            public SmtpManager getSmtpManager() {
                return smtp;
            }
        };
        this.managers = rejecting;
        return super.createServices(config, rejecting);
    }
}
