package io.herald.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Against the example published in Twilio's webhook-security documentation (and its helper libraries' tests). */
class TwilioSignatureTest {
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

    static Map<String, List<String>> documented() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        // Deliberately not in alphabetical order: the signature sorts them.
        form.put("To", List.of("+18005551212"));
        form.put("CallSid", List.of("CA1234567890ABCDE"));
        form.put("From", List.of("+14158675309"));
        form.put("Digits", List.of("1234"));
        form.put("Caller", List.of("+14158675309"));
        return form;
    }

    @Test
    void reproducesTwilioDocumentedSignature() {
        assertThat(TwilioSignature.sign("12345", URL, documented())).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TwilioSignature.valid("12345", URL, documented(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
    }

    @Test
    void repeatedFieldsAreSortedByValueToo() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("Sid", List.of("CA123"));
        form.put("SidAccount", List.of("AC123"));
        form.put("Digits", List.of("5678", "1234", "1234"));
        assertThat(TwilioSignature.sign("12345", URL, form)).isEqualTo("IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    }

    @Test
    void anyChangeOrAMissingSignatureFails() {
        Map<String, List<String>> tampered = documented();
        tampered.put("Digits", List.of("9999"));
        assertThat(TwilioSignature.valid("12345", URL, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(TwilioSignature.valid("12345", URL + "&x=1", documented(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(TwilioSignature.valid("54321", URL, documented(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(TwilioSignature.valid("12345", URL, documented(), null)).isFalse();
        assertThat(TwilioSignature.valid("12345", URL, documented(), "")).isFalse();
        assertThat(TwilioSignature.valid("", URL, documented(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }
}
