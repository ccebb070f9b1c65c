package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The E.164 shortcut never disagrees with libphonenumber's full parse: whenever it answers, the full path gives the
 * same number, and it does answer for the common case (valid numbers of every region, written in E.164).
 */
class E164ShortcutTest {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final ContactFields FIELDS = new ContactFields("US");

    /** Every region's example numbers of every type, in E.164: the shortcut's own domain. */
    private static List<String> exampleNumbers() {
        List<String> numbers = new ArrayList<>();
        for (String region : PHONES.getSupportedRegions()) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                if (example != null) {
                    numbers.add(PHONES.format(example, PhoneNumberFormat.E164));
                }
            }
        }
        for (int callingCode : PHONES.getSupportedGlobalNetworkCallingCodes()) {
            PhoneNumber example = PHONES.getExampleNumberForNonGeoEntity(callingCode);
            if (example != null) {
                numbers.add(PHONES.format(example, PhoneNumberFormat.E164));
            }
        }
        return numbers;
    }

    @Test
    void agreesWithTheFullParseOnEveryRegionsExampleNumbers() {
        List<String> numbers = exampleNumbers();
        int answered = 0;
        int valid = 0;
        for (String number : numbers) {
            String full = fullPath(number);
            String shortcut = E164Shortcut.validOrNull(number);
            if (shortcut != null) {
                answered++;
                assertThat(shortcut).as(number).isEqualTo(full);
            }
            if (number.equals(full)) {
                valid++;
            }
        }
        assertThat(numbers).hasSizeGreaterThan(1000);
        // Nearly every valid number written in E.164 takes the shortcut; the rest carry a national prefix or a zero.
        assertThat(answered).as("answered of %d valid", valid).isGreaterThan(valid * 9 / 10);
    }

    @Property(tries = 20_000)
    void neverDisagreesWithTheFullParse(@ForAll("nearlyE164") String text) {
        String shortcut = E164Shortcut.validOrNull(text);
        if (shortcut != null) {
            assertThat(shortcut).isEqualTo(text).isEqualTo(fullPath(text));
        }
    }

    @Test
    void leavesNationalPrefixesZerosAndOtherCharactersToTheFullParse() {
        // Russia's national prefix 8 (a real toll-free range starts with it), Italy's leading zero, formatting
        assertThat(E164Shortcut.validOrNull("+78001234567")).isNull();
        assertThat(E164Shortcut.validOrNull("+390612345678")).isNull();
        assertThat(E164Shortcut.validOrNull("+1 202 555 0143")).isNull();
        assertThat(E164Shortcut.validOrNull("+12025550143x12")).isNull();
        assertThat(E164Shortcut.validOrNull("12025550143")).isNull();
        assertThat(E164Shortcut.validOrNull("+1202555014")).as("too short for the US").isNull();
        assertThat(fullPath("+78001234567")).isEqualTo("+78001234567");
        assertThat(fullPath("+390612345678")).isEqualTo("+390612345678");
        assertThat(E164Shortcut.validOrNull("+12025550143")).isEqualTo("+12025550143");
        assertThat(E164Shortcut.validOrNull("+886912345678")).isEqualTo("+886912345678");
    }

    /**
     * Strings near the shortcut's domain: example numbers with digits changed, dropped or added, calling codes
     * followed by random digits, and random digit strings, each with a '+' (and sometimes without).
     */
    @Provide
    Arbitrary<String> nearlyE164() {
        List<String> examples = exampleNumbers();
        Arbitrary<String> mutated = Arbitraries.of(examples).flatMap(example -> Arbitraries.oneOf(
                Arbitraries.integers().between(1, example.length() - 1).flatMap(at -> Arbitraries.chars().range('0', '9')
                        .map(digit -> example.substring(0, at) + digit + example.substring(at + 1))),
                Arbitraries.integers().between(1, example.length() - 1)
                        .map(at -> example.substring(0, at) + example.substring(at + 1)),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3).map(extra -> example + extra),
                Arbitraries.integers().between(2, example.length())
                        .map(at -> example.substring(0, at) + "0" + example.substring(at))));
        Arbitrary<String> callingCodeThenDigits = Arbitraries.of(new ArrayList<>(PHONES.getSupportedCallingCodes()))
                .flatMap(code -> Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(14).map(rest -> "+" + code + rest));
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(17).map(d -> "+" + d);
        Arbitrary<String> withoutPlus = Arbitraries.of(examples).map(e -> e.substring(1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, mutated),
                net.jqwik.api.Tuple.of(3, callingCodeThenDigits),
                net.jqwik.api.Tuple.of(1, digits),
                net.jqwik.api.Tuple.of(1, withoutPlus));
    }

    /** What the full parse stores for {@code text}, or null when it refuses it. */
    private static String fullPath(String text) {
        try {
            return FIELDS.parsedPhone(text);
        } catch (ContactFields.Invalid e) {
            return null;
        }
    }
}
