package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The email DFA accepts exactly what the pragmatic expression, written for java.util.regex, accepts. */
class EmailSyntaxTest {
    private static final Pattern REFERENCE = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+");

    @Property(tries = 20_000)
    void acceptsExactlyWhatTheExpressionAccepts(@ForAll("nearlyEmails") String text) {
        boolean expected = REFERENCE.matcher(text).matches() && !text.contains("..");
        assertThat(accepted(text)).as(text).isEqualTo(expected);
    }

    @Example
    void boundaries() {
        String local64 = "a".repeat(64);
        String label63 = "b".repeat(63);
        assertThat(accepted(local64 + "@" + label63 + "b.io")).as("labels of up to 64").isTrue();
        assertThat(accepted(local64 + "a@x.io")).isFalse();
        assertThat(accepted("a@" + label63 + "bb.io")).isFalse();
        assertThat(accepted("o'neil+news@mail.example.co")).isTrue();
        assertThat(accepted("a@-x.io")).isFalse();
        assertThat(accepted("a@x-.io")).isFalse();
        assertThat(accepted("a@localhost")).isFalse();
        assertThat(accepted("a\"b@x.io")).isFalse();
        assertThat(accepted("a b@x.io")).isFalse();
        assertThat(accepted("ä@x.io")).isFalse();
    }

    /** Strings over the characters that matter: the local part's punctuation, '@', dots, hyphens, quotes, spaces. */
    @Provide
    Arbitrary<String> nearlyEmails() {
        Arbitrary<String> part = Arbitraries.strings().withChars("ab9!#$%&'*+/=?^_`{|}~.-\"() \\ä")
                .ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> label = Arbitraries.strings().withChars("az09-").ofMinLength(0).ofMaxLength(66);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(4).map(labels -> String.join(".", labels));
        Arbitrary<String> shaped = net.jqwik.api.Combinators.combine(part, domain).as((local, host) -> local + "@" + host);
        Arbitrary<String> anything = Arbitraries.strings().withChars("a1.@-_+\" ").ofMaxLength(20);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, shaped), net.jqwik.api.Tuple.of(1, anything))
                .map(s -> s.toLowerCase(Locale.ROOT));
    }

    private static boolean accepted(String text) {
        try {
            return text.equals(ContactFields.email(text));
        } catch (ContactFields.Invalid e) {
            return false;
        }
    }
}
