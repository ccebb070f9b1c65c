package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Normalising what reaches a recipient: any text is a normalised value or {@link ContactFields.Invalid}, never another
 * exception, and a normalised value is a fixed point (normalising it again changes nothing), so the API, the CSV
 * import and a re-import all store, match and de-duplicate the same form.
 */
class ContactFieldsPropertyTest {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final List<String> REGIONS = List.of("US", "TW", "GB", "DE", "FR", "IN", "BR", "JP", "IT", "AR", "MX", "NZ");

    @Property(tries = 1000)
    void emailsNormaliseToAFixedPoint(@ForAll("emails") String raw) {
        String email;
        try {
            email = ContactFields.email(raw);
        } catch (ContactFields.Invalid e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(200);
            return;
        }
        if (raw == null || raw.isBlank()) {
            assertThat(email).isNull();
            return;
        }
        assertThat(email).isEqualTo(email.strip()).isEqualTo(email.toLowerCase(java.util.Locale.ROOT))
                .hasSizeLessThanOrEqualTo(ContactFields.MAX_EMAIL).containsOnlyOnce("@");
        assertThat(rethrowing(() -> ContactFields.email(email))).isEqualTo(email);
        assertThat(rethrowing(() -> ContactFields.email(email.toUpperCase(java.util.Locale.ROOT)))).isEqualTo(email);
    }

    @Property(tries = 1000)
    void phonesNormaliseToAnE164FixedPointInEveryRegion(@ForAll("phones") String raw, @ForAll("regions") String region) {
        ContactFields fields = new ContactFields(region);
        String phone;
        try {
            phone = fields.phone(raw);
        } catch (ContactFields.Invalid e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(200);
            return;
        }
        if (raw == null || raw.isBlank()) {
            assertThat(phone).isNull();
            return;
        }
        assertThat(phone).matches("\\+[1-9][0-9]{1,14}");
        assertThat(rethrowing(() -> fields.phone(phone))).as("again in the same region").isEqualTo(phone);
        for (String other : List.of("US", "TW", "GB")) {
            assertThat(rethrowing(() -> new ContactFields(other).phone(phone))).as("again in " + other).isEqualTo(phone);
        }
    }

    @Property(tries = 300)
    void tagsNormaliseToAFixedPoint(@ForAll("tagLists") List<String> raw) {
        List<String> tags;
        try {
            tags = ContactFields.tags(raw);
        } catch (ContactFields.Invalid e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
            return;
        }
        assertThat(tags).doesNotHaveDuplicates().allSatisfy(t -> assertThat(t).matches(SegmentRule.TAG.pattern()));
        assertThat(rethrowing(() -> ContactFields.tags(tags))).isEqualTo(tags);
    }

    @Property(tries = 500)
    void namesAndAttributeKeysNormaliseToAFixedPoint(@ForAll("names") String raw) {
        try {
            String name = ContactFields.name(raw);
            assertThat(name).hasSizeLessThanOrEqualTo(ContactFields.MAX_NAME);
            assertThat(rethrowing(() -> ContactFields.name(name))).isEqualTo(name);
        } catch (ContactFields.Invalid e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        String key = ContactFields.attributeKey(raw);
        if (key != null) {
            assertThat(key).matches("[A-Za-z0-9][A-Za-z0-9_]{0,63}|[A-Za-z0-9]").doesNotEndWith("_");
            assertThat(ContactFields.attributeKey(key)).isEqualTo(key);
        }
    }

    @Property(tries = 200)
    void attributesAreRejectedExactlyWhenTheirJsonIsTooLarge(@ForAll("attributes") Map<String, String> attributes) {
        boolean fits = RecipientRepository.writeAttributes(attributes).length() <= ContactFields.MAX_ATTRIBUTES_JSON;
        try {
            ContactFields.checkAttributesSize(attributes);
            assertThat(fits).as("accepted attributes whose JSON is too large").isTrue();
        } catch (ContactFields.Invalid e) {
            assertThat(fits).as("rejected attributes that fit: " + e.getMessage()).isFalse();
            assertThat(e.getMessage()).contains("too large");
        }
    }

    /** The value, with a checked rejection turned into a test failure. */
    private static <T> T rethrowing(Normalisation<T> normalisation) {
        try {
            return normalisation.get();
        } catch (ContactFields.Invalid e) {
            throw new AssertionError("a normalised value was rejected: " + e.getMessage(), e);
        }
    }

    private interface Normalisation<T> {
        T get() throws ContactFields.Invalid;
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of(REGIONS);
    }

    /** Addresses that are almost right: cases, spaces, dots, dashes, look-alike Unicode, overlong parts, junk. */
    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> local = Arbitraries.oneOf(Arbitraries.strings().withChars("aZ09.+_-!#'").ofMinLength(1).ofMaxLength(70),
                Arbitraries.of("Ann.Lee+news", "\u212Aelvin", "ßtraße", "a\u0000b", "\"quoted\"", ""));
        Arbitrary<String> label = Arbitraries.oneOf(Arbitraries.strings().withChars("aZ09-").ofMinLength(0).ofMaxLength(65),
                Arbitraries.of("example", "EXAMPLE", "xn--bcher-kva", "bücher", "-bad", "bad-"));
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(".", l));
        Arbitrary<String> address = Combinators.combine(Arbitraries.of("", " ", "\t", "\u00a0"), local,
                        Arbitraries.of("@", "@", "@@", "", " @"), domain, Arbitraries.of("", " ", "\n", "."))
                .as((pre, l, at, d, post) -> pre + l + at + d + post);
        return Arbitraries.oneOf(address, Arbitraries.strings().ofMaxLength(400), Arbitraries.just("a@" + "b".repeat(60) + ".c".repeat(150)))
                .injectNull(0.02);
    }

    /** Real numbers of many regions in every format libphonenumber writes, mangled a little, plus digit junk. */
    @Provide
    Arbitrary<String> phones() {
        Arbitrary<String> real = Combinators.combine(Arbitraries.of(REGIONS),
                        Arbitraries.of(PhoneNumberUtil.PhoneNumberFormat.values()),
                        Arbitraries.of(PhoneNumberUtil.PhoneNumberType.MOBILE, PhoneNumberUtil.PhoneNumberType.FIXED_LINE,
                                PhoneNumberUtil.PhoneNumberType.TOLL_FREE))
                .as((region, format, type) -> {
                    PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                    return example == null ? "+1 202 555 0143" : PHONES.format(example, format);
                });
        Arbitrary<String> mangled = Combinators.combine(real, Arbitraries.of("", " ext. 12", ";ext=9", "x", " ", "\u00a0", "#",
                "٠١٢", "ABC", "+", "00"), Arbitraries.of(true, false))
                .as((number, noise, front) -> front ? noise + number : number + noise);
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789 +-().#*xX").ofMaxLength(40);
        return Arbitraries.oneOf(real, mangled, digits, Arbitraries.strings().ofMaxLength(300),
                Arbitraries.of("1-800-FLOWERS", "tel:+1-202-555-0143;ext=12", "+" + "9".repeat(300), "+0", "0", "+"))
                .injectNull(0.02);
    }

    @Provide
    Arbitrary<List<String>> tagLists() {
        Arbitrary<String> tag = Arbitraries.oneOf(Arbitraries.strings().withChars("aZ09_.:- ").ofMaxLength(70),
                Arbitraries.of("VIP", " tw ", "\u212Aelvin", "", "x".repeat(64)));
        return tag.injectNull(0.05).list().ofMaxSize(60).map(ArrayList::new);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(250),
                Arbitraries.strings().withChars("ab _-!First Name").ofMaxLength(80),
                Arbitraries.of("Name", "EMAIL", " id ", "__", "e-mail", "First Name", "x".repeat(201))).injectNull(0.02);
    }

    @Provide
    Arbitrary<Map<String, String>> attributes() {
        // Up to 20 values of up to 600 characters, control characters among them (6 characters each in JSON):
        // both sides of the 8,000-character limit.
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(30), Arbitraries.strings().ofMaxLength(600))
                .ofMaxSize(20).map(LinkedHashMap::new);
    }
}
