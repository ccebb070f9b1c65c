package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import org.junit.jupiter.api.Test;

/**
 * The automata answer exactly what libphonenumber's {@code isValidNumber} answers, for every calling code: each
 * region's example number of each type, and a hundred variants of it (digits changed, one added or dropped), about
 * half of them valid.
 */
class PhoneValidityTest {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    @Test
    void agreesWithLibphonenumberOnExampleNumbersAndTheirVariants() {
        Random random = new Random(20261203);
        int compared = 0;
        int valid = 0;
        for (String region : PHONES.getSupportedRegions()) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                if (example == null || example.hasItalianLeadingZero()) {
                    continue;
                }
                String national = String.valueOf(example.getNationalNumber());
                for (int i = 0; i < 100; i++) {
                    String number = i == 0 ? national : variant(national, random);
                    if (number.isEmpty() || number.charAt(0) == '0') {
                        continue;
                    }
                    boolean expected = PHONES.isValidNumber(new PhoneNumber().setCountryCode(example.getCountryCode())
                            .setNationalNumber(Long.parseLong(number)));
                    assertThat(PhoneValidity.isValidWhenBuilt(example.getCountryCode(), number))
                            .as("+%d %s (%s %s)", example.getCountryCode(), number, region, type).isEqualTo(expected);
                    compared++;
                    valid += expected ? 1 : 0;
                }
            }
        }
        for (int callingCode : PHONES.getSupportedGlobalNetworkCallingCodes()) {
            PhoneNumber example = PHONES.getExampleNumberForNonGeoEntity(callingCode);
            if (example != null) {
                String national = String.valueOf(example.getNationalNumber());
                assertThat(PhoneValidity.isValidWhenBuilt(callingCode, national)).as("+%d %s", callingCode, national)
                        .isEqualTo(PHONES.isValidNumber(example));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(100_000);
        assertThat(valid).isBetween(compared / 4, compared * 3 / 4);
    }

    @Test
    void answersFromTheAutomataOnceBuilt() {
        assertThat(PhoneValidity.isValidWhenBuilt(1, "2025550143")).isTrue();
        assertThat(PhoneValidity.isValid(1, "2025550143")).isTrue();
        assertThat(PhoneValidity.isValid(1, "1025550143")).isFalse();
    }

    private static String variant(String national, Random random) {
        char[] digits = national.toCharArray();
        for (int changes = random.nextInt(4); changes > 0; changes--) {
            digits[random.nextInt(digits.length)] = (char) ('0' + random.nextInt(10));
        }
        String number = new String(digits);
        return switch (random.nextInt(10)) {
            case 0 -> number + random.nextInt(10);
            case 1 -> number.substring(0, number.length() - 1);
            default -> number;
        };
    }
}
