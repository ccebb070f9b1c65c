package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

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
}
