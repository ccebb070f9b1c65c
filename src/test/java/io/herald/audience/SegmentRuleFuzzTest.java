package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the segment-rule parser (Jazzer), tag lists and expressions: any text is a rule in
 * canonical form (an expression's SQL holds no text of the input) or an {@link InvalidSegmentRuleException} with
 * a short reason. In a normal build this runs the inputs in
 * {@code SegmentRuleFuzzTestInputs/} once (regression mode); {@code JAZZER_FUZZ=1} fuzzes it (see the README).
 */
class SegmentRuleFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void anyText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SegmentRule rule;
        try {
            rule = SegmentRule.parse(text);
        } catch (InvalidSegmentRuleException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
            return;
        }
        if (rule.isTagList()) {
            assertThat(rule.tags()).isNotEmpty().allSatisfy(tag -> assertThat(tag).matches(SegmentRule.TAG.pattern()));
        } else {
            // Whatever parsed must compile to SQL for every database, and its canonical text must parse back.
            for (io.herald.DatabaseVendor vendor : io.herald.DatabaseVendor.values()) {
                java.util.List<Object> params = new java.util.ArrayList<>();
                StringBuilder sql = new StringBuilder();
                SegmentSql.append(rule.expression(), vendor, sql, params);
                assertThat(sql.toString()).doesNotContain("\"", ";", "--");
            }
        }
        assertThat(SegmentRule.parse(rule.toString())).isEqualTo(rule);
    }
}
