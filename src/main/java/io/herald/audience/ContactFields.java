package io.herald.audience;

import java.util.Locale;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;

/**
 * Normalises the ways to reach a recipient: emails trimmed and lower-cased, phone numbers in E.164
 * (via libphonenumber, with a default region for numbers written without {@code +}).
 * Shared by the recipients API and CSV import so both store exactly the same forms.
 */
final class ContactFields {
    static final int MAX_NAME = 200;
    static final int MAX_EMAIL = 320;
    /**
     * Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain, no empty labels. Compiled to a DFA, a tenth of a
     * backtracking matcher's time on a large import; in the automaton library's syntax every punctuation character in
     * a class is escaped. {@code EmailSyntaxTest} holds it to the same expression for {@code java.util.regex}.
     */
    private static final RunAutomaton EMAIL = new RunAutomaton(new RegExp(
            "[A-Za-z0-9\\!\\#\\$\\%\\&\\'\\*\\+\\/\\=\\?\\^\\_\\`\\{\\|\\}\\~\\.\\-]{1,64}\\@"
                    + "[A-Za-z0-9]([A-Za-z0-9\\-]{0,62}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9\\-]{0,62}[A-Za-z0-9])?)+",
            RegExp.NONE).toAutomaton());
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    ContactFields(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** A field value that cannot be stored, with the reason in words a user can act on. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Lower-cased trimmed email, null for blank; {@link Invalid} when it is not an address. */
    static String email(String raw) throws Invalid {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String email = raw.trim().toLowerCase(Locale.ROOT);
        if (email.length() > MAX_EMAIL || !EMAIL.run(email) || email.contains("..")) {
            throw new Invalid("\"" + abbreviate(raw.trim()) + "\" is not a valid email address");
        }
        return email;
    }

    /** The number in E.164 ({@code +886912345678}), null for blank; {@link Invalid} when it is not a valid number. */
    String phone(String raw) throws Invalid {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.trim();
        String e164 = E164Shortcut.validOrNull(text);
        return e164 != null ? e164 : parsedPhone(text);
    }

    /** libphonenumber's full parse, for a number written any way (and for the reason one is refused). */
    String parsedPhone(String text) throws Invalid {
        PhoneNumber number;
        try {
            number = PHONES.parse(text, defaultRegion);
        } catch (NumberParseException e) {
            throw new Invalid("\"" + abbreviate(text) + "\" is not a phone number");
        }
        if (!PHONES.isValidNumber(number)) {
            throw new Invalid("\"" + abbreviate(text) + "\" is not a valid phone number"
                    + (text.startsWith("+") ? "" : " for region " + defaultRegion + " (write it with +country code)"));
        }
        String e164 = PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        // libphonenumber accepts some national numbers (e.g. German ones) longer than E.164's 15 digits, which
        // SMS gateways refuse.
        if (e164.length() > 16) {
            throw new Invalid("\"" + abbreviate(text) + "\" has more than the 15 digits an E.164 number may have");
        }
        return e164;
    }

    /** Trimmed name ("" when blank); {@link Invalid} when too long. */
    static String name(String raw) throws Invalid {
        String name = raw == null ? "" : raw.trim();
        if (name.length() > MAX_NAME) {
            throw new Invalid("must be at most " + MAX_NAME + " characters");
        }
        return name;
    }

    static final int MAX_TAGS_TEXT = 2000;
    static final int MAX_ATTRIBUTES_JSON = 8000;
    private static final Pattern NOT_KEY = Pattern.compile("[^A-Za-z0-9_]+");
    private static final java.util.Set<String> RESERVED = java.util.Set.of("id", "name", "email", "phone", "tags");

    /**
     * A template-friendly attribute name: runs of characters other than letters, digits and '_' become one '_'
     * ({@code "First Name"} → {@code First_Name}); null when nothing usable is left or the name is reserved.
     */
    static String attributeKey(String raw) {
        if (raw == null) {
            return null;
        }
        String key = NOT_KEY.matcher(raw.trim()).replaceAll("_");
        while (key.startsWith("_")) {
            key = key.substring(1);
        }
        while (key.endsWith("_")) {
            key = key.substring(0, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > 64 || RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return key;
    }

    /** Normalised, de-duplicated tags in their given order; {@link Invalid} naming the first bad tag. */
    static java.util.List<String> tags(java.util.Collection<String> raw) throws Invalid {
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
        if (raw != null) {
            for (String t : raw) {
                if (t == null || t.isBlank()) {
                    continue;
                }
                try {
                    tags.add(SegmentRule.normalizeTag(t));
                } catch (InvalidSegmentRuleException e) {
                    throw new Invalid(e.getMessage());
                }
            }
        }
        if (String.join(",", tags).length() > MAX_TAGS_TEXT) {
            throw new Invalid("too many tags (at most " + MAX_TAGS_TEXT + " characters in all)");
        }
        return new java.util.ArrayList<>(tags);
    }

    /**
     * Checks that the attributes fit their column once stored as JSON. They are only serialised when they might
     * not fit: each character takes at most 6 in JSON ({@code \u001f}), and every entry 6 more (quotes, colon,
     * comma), so small maps (nearly every imported row) are let through without writing their JSON.
     */
    static void checkAttributesSize(java.util.Map<String, String> attributes) throws Invalid {
        long mostJson = 2;
        for (java.util.Map.Entry<String, String> e : attributes.entrySet()) {
            mostJson += 6L * (e.getKey().length() + e.getValue().length()) + 6;
        }
        if (mostJson > MAX_ATTRIBUTES_JSON && RecipientRepository.writeAttributes(attributes).length() > MAX_ATTRIBUTES_JSON) {
            throw new Invalid("attributes are too large (at most " + MAX_ATTRIBUTES_JSON + " characters as JSON)");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
