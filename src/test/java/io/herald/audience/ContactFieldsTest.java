package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ContactFieldsTest {
    private final ContactFields tw = new ContactFields("TW");
    private final ContactFields us = new ContactFields("US");

    @Test
    void phonesBecomeE164UsingTheDefaultRegionOnlyWithoutPlus() throws Exception {
        assertThat(tw.phone("0912-345-678")).isEqualTo("+886912345678");
        assertThat(tw.phone("+886 912 345 678")).isEqualTo("+886912345678");
        assertThat(us.phone("(202) 555-0143")).isEqualTo("+12025550143");
        assertThat(us.phone("+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThat(tw.phone("  ")).isNull();
        assertThatThrownBy(() -> tw.phone("12")).isInstanceOf(ContactFields.Invalid.class);
        assertThatThrownBy(() -> tw.phone("call me")).isInstanceOf(ContactFields.Invalid.class);
        assertThatThrownBy(() -> us.phone("0912345678")).isInstanceOf(ContactFields.Invalid.class)
                .hasMessageContaining("region US");
        // valid for libphonenumber, but 17 digits: beyond E.164 (found by ContactFieldsPropertyTest)
        assertThatThrownBy(() -> us.phone("+49 800 123456789000")).isInstanceOf(ContactFields.Invalid.class)
                .hasMessageContaining("15 digits");
        assertThat(us.phone("+49 30 123456789")).isEqualTo("+4930123456789");
    }

    @Test
    void emailsAreTrimmedLowerCasedAndChecked() throws Exception {
        assertThat(ContactFields.email("  Ann.Lee+news@Example.COM ")).isEqualTo("ann.lee+news@example.com");
        assertThat(ContactFields.email("")).isNull();
        for (String bad : List.of("ann", "ann@", "@example.com", "ann@example", "a b@example.com", "ann@@example.com",
                "ann..lee@example.com", "ann@-example.com")) {
            assertThatThrownBy(() -> ContactFields.email(bad)).as(bad).isInstanceOf(ContactFields.Invalid.class);
        }
    }

    @Test
    void tagsAndAttributeNamesAreNormalised() throws Exception {
        assertThat(ContactFields.tags(List.of(" VIP", "tw", "vip", ""))).containsExactly("vip", "tw");
        assertThatThrownBy(() -> ContactFields.tags(List.of("no spaces"))).isInstanceOf(ContactFields.Invalid.class);
        assertThat(ContactFields.attributeKey(" First Name ")).isEqualTo("First_Name");
        assertThat(ContactFields.attributeKey("e-mail")).isEqualTo("e_mail");
        assertThat(ContactFields.attributeKey("Name")).isNull();
        assertThat(ContactFields.attributeKey("!!")).isNull();
    }
}
