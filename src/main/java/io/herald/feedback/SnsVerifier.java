package io.herald.feedback;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Checks the signature of an Amazon SNS message as AWS documents it: the signing certificate is fetched from
 * {@code SigningCertURL}, which must match {@code herald.webhooks.ses.sns-url-pattern} (by default https on an
 * {@code sns.<region>.amazonaws.com} host, so nobody can sign with a certificate of their own); the signed string
 * is the message's fields, each as {@code name\nvalue\n}, in AWS's order; {@code SignatureVersion} 1 is
 * SHA1withRSA, 2 is SHA256withRSA. Certificates are cached per URL.
 */
final class SnsVerifier {
    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION_FIELDS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token",
            "TopicArn", "Type");

    private final Pattern urlPattern;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

    SnsVerifier(Pattern urlPattern) {
        this.urlPattern = urlPattern;
    }

    /** Whether a URL in a message (certificate, subscribe URL) is one Herald may fetch. */
    boolean trusted(String url) {
        return url != null && urlPattern.matcher(url).matches();
    }

    /** Throws {@link InvalidSignatureException} unless the message is signed by SNS. */
    void verify(JsonNode message) {
        String type = text(message, "Type");
        List<String> fields = "Notification".equals(type) ? NOTIFICATION_FIELDS : SUBSCRIPTION_FIELDS;
        StringBuilder signed = new StringBuilder();
        for (String field : fields) {
            String value = text(message, field);
            if (value == null) {
                if (field.equals("Subject")) {
                    continue;
                }
                throw new InvalidSignatureException("the SNS message has no " + field);
            }
            signed.append(field).append('\n').append(value).append('\n');
        }
        String version = text(message, "SignatureVersion");
        String algorithm = "1".equals(version) ? "SHA1withRSA" : "2".equals(version) ? "SHA256withRSA" : null;
        if (algorithm == null) {
            throw new InvalidSignatureException("unsupported SignatureVersion " + version);
        }
        String signature = text(message, "Signature");
        if (signature == null) {
            throw new InvalidSignatureException("the SNS message is not signed");
        }
        X509Certificate certificate = certificate(text(message, "SigningCertURL"));
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(signed.toString().getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(signature))) {
                throw new InvalidSignatureException("the SNS signature does not match the message");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidSignatureException("the SNS signature could not be checked: " + e.getMessage());
        }
    }

    private X509Certificate certificate(String url) {
        if (!trusted(url)) {
            throw new InvalidSignatureException("SigningCertURL " + url + " is not an SNS certificate URL");
        }
        X509Certificate cached = certificates.get(url);
        if (cached != null) {
            return cached;
        }
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new InvalidSignatureException("the SNS signing certificate could not be fetched: HTTP " + response.statusCode());
            }
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(response.body()));
            certificate.checkValidity();
            certificates.put(url, certificate);
            return certificate;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSignatureException("the SNS signing certificate could not be used: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidSignatureException("interrupted while fetching the SNS signing certificate");
        }
    }

    /** GETs a subscription's confirmation URL (after {@link #verify}). */
    void confirm(String subscribeUrl) {
        if (!trusted(subscribeUrl)) {
            throw new InvalidSignatureException("SubscribeURL " + subscribeUrl + " is not an SNS URL");
        }
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(subscribeUrl))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("SNS answered " + response.statusCode() + " to the subscription confirmation");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not confirm the SNS subscription: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while confirming the SNS subscription", e);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
