package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SegmentRuleTest {
    @Test
    void commaSeparatedTagsAreAllRequiredAndNormalised() {
        assertThat(SegmentRule.parse("vip").tags()).containsExactly("vip");
        assertThat(SegmentRule.parse(" VIP , tw ").tags()).containsExactly("vip", "tw");
        assertThat(SegmentRule.parse("vip,tw,vip").tags()).containsExactly("vip", "tw");
        assertThat(SegmentRule.parse("camp-1000:list_a.b").toString()).isEqualTo("camp-1000:list_a.b");
        assertThat(SegmentRule.parse("vip , tw").toString()).isEqualTo("vip,tw");
    }

    @Test
    void emptyRulesAndBadTagsAreRejectedWithAReason() {
        for (String bad : new String[]{null, "", "   "}) {
            assertThatThrownBy(() -> SegmentRule.parse(bad)).isInstanceOf(InvalidSegmentRuleException.class)
                    .hasMessageContaining("at least one tag");
        }
        assertThatThrownBy(() -> SegmentRule.parse("vip,,tw")).hasMessageContaining("empty tag");
        assertThatThrownBy(() -> SegmentRule.parse("vip,")).hasMessageContaining("empty tag");
        assertThatThrownBy(() -> SegmentRule.parse("v!p")).hasMessageContaining("invalid tag \"v!p\"");
        assertThatThrownBy(() -> SegmentRule.parse("vip tw")).hasMessageContaining("column 5");
        assertThatThrownBy(() -> SegmentRule.parse("-vip")).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> SegmentRule.parse("x".repeat(65))).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> new SegmentRule(List.of())).isInstanceOf(InvalidSegmentRuleException.class);
    }
}
