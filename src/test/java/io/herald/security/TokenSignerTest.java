package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** A signed token verifies in exactly the spelling it was signed in. */
class TokenSignerTest {
    private final TokenSigner signer = new TokenSigner(null, "a-test-signing-key");

    @Test
    void aTokenVerifiesAsSignedAndInNoOtherSpelling() {
        for (long recipient = 1; recipient <= 300; recipient++) {
            String token = signer.sign("unsubscribe", recipient, 7);
            assertThat(signer.verify("unsubscribe", token)).hasValueSatisfying(n -> assertThat(n[1]).isEqualTo(7));
            assertThat(signer.verify("unsubscribe", token).orElseThrow()[0]).isEqualTo(recipient);
            assertThat(signer.verify("click", token)).as("another purpose").isEmpty();
            String mac = token.substring(token.lastIndexOf('.') + 1);
            String prefix = token.substring(0, token.lastIndexOf('.') + 1);
            // Every other last character: a decoder that ignores the unused low bits would accept 15 of them.
            for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
                String altered = prefix + mac.substring(0, mac.length() - 1) + c;
                if (!altered.equals(token)) {
                    assertThat(signer.verify("unsubscribe", altered)).as("%s altered to %s", token, altered).isEmpty();
                }
            }
            assertThat(signer.verify("unsubscribe", prefix + mac + "=")).as("padded").isEmpty();
        }
    }

    /** Each thread keeps its own keyed Mac: tokens are the standard HMAC-SHA256 and the same on every thread. */
    @Test
    void tokensAreHmacSha256OfPurposeAndNumbersOnEveryThread() throws Exception {
        Mac reference = Mac.getInstance("HmacSHA256");
        reference.init(new SecretKeySpec("a-test-signing-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] full = reference.doFinal("click:5:6:7".getBytes(StandardCharsets.UTF_8));
        String expected = "5.6.7." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(full, 16));
        assertThat(signer.sign("click", 5, 6, 7)).isEqualTo(expected);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    List<String> tokens = new ArrayList<>();
                    for (long recipient = 1; recipient <= 2000; recipient++) {
                        tokens.add(signer.sign("unsubscribe", recipient, 7));
                    }
                    return tokens;
                }));
            }
            List<String> first = runs.get(0).get();
            for (Future<List<String>> run : runs) {
                assertThat(run.get()).isEqualTo(first);
            }
            for (String token : first) {
                assertThat(signer.verify("unsubscribe", token)).isPresent();
            }
            assertThat(signer.sign("click", 5, 6, 7)).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
    }
}
