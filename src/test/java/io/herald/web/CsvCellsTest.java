package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvCellsTest {
    @Test
    void formulaStartersArePrefixedWithAQuote() {
        assertThat(CsvCells.safe("=1+1")).isEqualTo("'=1+1");
        assertThat(CsvCells.safe("+33 1 23")).isEqualTo("'+33 1 23");
        assertThat(CsvCells.safe("-5")).isEqualTo("'-5");
        assertThat(CsvCells.safe("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCells.safe("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.safe("\r=1")).isEqualTo("'\r=1");
    }

    @Test
    void otherTextIsUnchanged() {
        assertThat(CsvCells.safe("Alice = Bob")).isEqualTo("Alice = Bob");
        assertThat(CsvCells.safe("alice@example.com")).isEqualTo("alice@example.com");
        assertThat(CsvCells.safe("")).isEmpty();
        assertThat(CsvCells.safe(null)).isNull();
    }
}
