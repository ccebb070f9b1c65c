package io.herald.provider;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SMS gateway ({@code herald.sms.*}), spoken to in the Twilio Messages API format.
 *
 * @param baseUrl             the gateway, e.g. {@code https://api.twilio.com}
 * @param accountSid          account id: part of the URL and the Basic auth user
 * @param authToken           Basic auth password; also the key the gateway signs its status callbacks with
 * @param from                sender number (E.164) or alphanumeric sender id
 * @param messagingServiceSid sent instead of {@code From} when set (the gateway picks the sender)
 * @param timeout             connect and response timeout of one call
 */
@ConfigurationProperties("herald.sms")
public record SmsGatewayProperties(String baseUrl, String accountSid, String authToken, String from,
                                   String messagingServiceSid, @DefaultValue("10s") Duration timeout) {
    /** Whether status callbacks can be verified (an auth token is configured). */
    public boolean canVerifyCallbacks() {
        return authToken != null && !authToken.isBlank();
    }
}
