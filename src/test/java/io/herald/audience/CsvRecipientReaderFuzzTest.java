package io.herald.audience;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the CSV reader (Jazzer): any bytes are rejected up front or read as rows (valid and
 * normalised, or carrying their errors) until the end or until the file breaks off; nothing else is thrown. The
 * contract is {@link CsvRecipientReaderPropertyTest#readAll}. A normal build runs the inputs in
 * {@code CsvRecipientReaderFuzzTestInputs/} once (regression mode); {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class CsvRecipientReaderFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void anyBytes(byte[] file) {
        CsvRecipientReaderPropertyTest.readAll(file);
    }
}
