package io.herald.feedback;

import java.util.Optional;

import io.herald.audience.Recipient;
import io.herald.audience.RecipientService;
import io.herald.security.AuditLog;
import io.herald.security.HeraldPrincipal;
import io.herald.security.TokenSigner;
import io.herald.stats.StatsService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Unsubscribe links: {@code {public-url}/u/{token}}, where the token is signed over recipient and campaign
 * (see {@link TokenSigner}), so any process can check it and nobody can forge one for another recipient.
 * Following it needs no login; the recipient becomes UNSUBSCRIBED, is never targeted again, and messages
 * still queued for them are cancelled by the workers.
 */
@Service
public class UnsubscribeLinks {
    static final String PURPOSE = "unsubscribe";

    private final TokenSigner signer;
    private final RecipientService recipients;
    private final StatsService stats;
    private final AuditLog audit;
    private final SuppressionList suppressions;
    private final String publicUrl;

    UnsubscribeLinks(TokenSigner signer, RecipientService recipients, StatsService stats, AuditLog audit,
                     SuppressionList suppressions, @Value("${herald.public-url:http://localhost:8080}") String publicUrl) {
        this.suppressions = suppressions;
        this.signer = signer;
        this.recipients = recipients;
        this.stats = stats;
        this.audit = audit;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** The recipient's unsubscribe link for one campaign. */
    public String url(long recipientId, long campaignId) {
        return publicUrl + "/u/" + signer.sign(PURPOSE, recipientId, campaignId);
    }

    /** Who a link is for; empty when the token is forged or altered, or its recipient no longer exists. */
    public Optional<Target> resolve(String token) {
        return signer.verify(PURPOSE, token).flatMap(ids -> recipients.find(ids[0])
                .filter(r -> !"DELETED".equals(r.status()))
                .map(r -> new Target(r, ids[1])));
    }

    /**
     * Unsubscribes the link's recipient; empty for a link {@link #resolve} rejects. Repeating it changes
     * nothing; only the first use counts in the campaign's {@code unsubscribed} and the audit log.
     */
    @Transactional
    public Optional<Target> unsubscribe(String token, String remoteAddr) {
        Optional<Target> target = resolve(token);
        target.ifPresent(t -> {
            if (recipients.unsubscribeIfActive(t.recipient().id())) {
                stats.addUnsubscribed(t.campaignId());
                // Listed, so that deleting and re-importing the recipient cannot bring them back.
                String actor = HeraldPrincipal.recipient(t.recipient().id()).actor();
                if (t.recipient().email() != null) {
                    suppressions.add(new RecipientService.Address(io.herald.Channel.EMAIL, t.recipient().email()), "unsubscribe",
                            "one-click link", t.recipient().id(), t.campaignId(), actor);
                }
                if (t.recipient().phone() != null) {
                    suppressions.add(new RecipientService.Address(io.herald.Channel.SMS, t.recipient().phone()), "unsubscribe",
                            "one-click link", t.recipient().id(), t.campaignId(), actor);
                }
                audit.record(HeraldPrincipal.recipient(t.recipient().id()), "recipient.unsubscribe", "recipient",
                        Long.toString(t.recipient().id()), "one-click link of campaign " + t.campaignId(), remoteAddr);
            }
        });
        return target;
    }

    /** The recipient a link names and the campaign whose message carried it. */
    public record Target(Recipient recipient, long campaignId) {
    }
}
