package io.herald.feedback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Twilio-Signature} of a callback: Base64 of HMAC-SHA1, keyed with the account's auth token, over
 * the full URL the gateway called followed by every POST field's name and value, fields sorted by name (a repeated
 * field's distinct values sorted too, as Twilio's helper libraries do), as Twilio documents for webhook security.
 */
public final class TwilioSignature {
    private TwilioSignature() {
    }

    /** The signature the gateway sends with a POST of {@code form} to {@code url}. */
    public static String sign(String authToken, String url, Map<String, List<String>> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, values) -> {
            for (String value : new java.util.TreeSet<>(values)) {
                data.append(name).append(value);
            }
        });
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /** Whether {@code signature} is the one for this request (constant-time comparison); false when absent. */
    public static boolean valid(String authToken, String url, Map<String, List<String>> form, String signature) {
        if (signature == null || signature.isBlank() || authToken == null || authToken.isBlank()) {
            return false;
        }
        byte[] expected = sign(authToken, url, form).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
