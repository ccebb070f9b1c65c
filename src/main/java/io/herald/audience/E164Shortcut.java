package io.herald.audience;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

/**
 * Phone validation for a number already written in E.164 ({@code +} and digits), without libphonenumber's
 * {@code parse}. That parser runs a dozen regular expressions meant for free-form input (extensions, viability,
 * international prefixes) and took two thirds of the validation time of a CSV import, where nearly every number
 * is in E.164 already. For such a string it only splits off the country calling code, which this does the same way
 * (the first 1-, 2- or 3-digit prefix that is a calling code), then decides validity as libphonenumber's
 * {@code isValidNumber} does ({@link PhoneValidity}).
 * <p>
 * It answers null whenever {@code parse} could read the string otherwise: a national number with a leading zero,
 * one that the region's national prefix pattern would strip or transform, any character other than a digit. The
 * caller's full path decides those, so both paths always give the same result ({@code E164ShortcutTest}).
 */
final class E164Shortcut {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final MetadataSource METADATA =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private static final Set<Integer> CALLING_CODES = PHONES.getSupportedCallingCodes();
    private static final String NON_GEOGRAPHICAL = "001";
    /** Per calling code: the region's national prefix pattern; empty when it has none. */
    private static final ConcurrentMap<Integer, Optional<NationalPrefix>> PREFIXES = new ConcurrentHashMap<>();
    /** A calling code without metadata: left to the full parse. */
    private static final NationalPrefix UNKNOWN = new NationalPrefix(null, false);

    private record NationalPrefix(Pattern pattern, boolean transforms) {
    }

    private E164Shortcut() {
    }

    /** {@code text} itself when it is a valid number in E.164; null when the full parse must decide. */
    static String validOrNull(String text) {
        int length = text.length();
        // "+", a calling code and a national number of at least two digits; at most E.164's 15 digits
        if (length < 4 || length > 16 || text.charAt(0) != '+' || text.charAt(1) == '0') {
            return null;
        }
        for (int i = 1; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        int callingCode = 0;
        int codeDigits = 0;
        for (int digits = 1; digits <= 3; digits++) {
            int candidate = Integer.parseInt(text, 1, 1 + digits, 10);
            if (CALLING_CODES.contains(candidate)) {
                callingCode = candidate;
                codeDigits = digits;
                break;
            }
        }
        if (callingCode == 0) {
            return null;
        }
        String national = text.substring(1 + codeDigits);
        if (national.length() < 2 || national.charAt(0) == '0' || mayStripNationalPrefix(callingCode, national)) {
            return null;
        }
        Boolean valid = PhoneValidity.isValid(callingCode, national);
        if (valid == null) {
            valid = PHONES.isValidNumber(new PhoneNumber().setCountryCode(callingCode).setNationalNumber(Long.parseLong(national)));
        }
        return valid ? text : null;
    }

    /** True when libphonenumber's parser might remove or rewrite a national prefix at the start of {@code national}. */
    private static boolean mayStripNationalPrefix(int callingCode, String national) {
        NationalPrefix prefix = PREFIXES.computeIfAbsent(callingCode, E164Shortcut::nationalPrefix).orElse(null);
        if (prefix == null) {
            return false;
        }
        if (prefix == UNKNOWN) {
            return true;
        }
        Matcher matcher = prefix.pattern().matcher(national);
        if (!matcher.lookingAt()) {
            return false;
        }
        return matcher.end() > 0 || (prefix.transforms() && matcher.group(matcher.groupCount()) != null);
    }

    private static Optional<NationalPrefix> nationalPrefix(int callingCode) {
        String region = PHONES.getRegionCodeForCountryCode(callingCode);
        PhoneMetadata metadata = NON_GEOGRAPHICAL.equals(region)
                ? METADATA.getMetadataForNonGeographicalRegion(callingCode)
                : METADATA.getMetadataForRegion(region);
        if (metadata == null) {
            return Optional.of(UNKNOWN);
        }
        String forParsing = metadata.getNationalPrefixForParsing();
        if (forParsing == null || forParsing.isEmpty()) {
            return Optional.empty();
        }
        String transformRule = metadata.getNationalPrefixTransformRule();
        return Optional.of(new NationalPrefix(Pattern.compile(forParsing),
                transformRule != null && !transformRule.isEmpty()));
    }
}
