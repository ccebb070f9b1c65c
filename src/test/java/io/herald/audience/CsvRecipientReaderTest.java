package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvRecipientReaderTest {
    private final ContactFields fields = new ContactFields("TW");

    private List<CsvRecipientReader.Row> read(String csv, List<String> extraTags) {
        return read(csv.getBytes(StandardCharsets.UTF_8), extraTags);
    }

    private List<CsvRecipientReader.Row> read(byte[] csv, List<String> extraTags) {
        List<CsvRecipientReader.Row> rows = new ArrayList<>();
        CsvRecipientReader reader = CsvRecipientReader.open(new ByteArrayInputStream(csv), fields, extraTags);
        for (CsvRecipientReader.Row row = reader.next(); row != null; row = reader.next()) {
            rows.add(row);
        }
        return rows;
    }

    @Test
    void readsKnownColumnsAttributesQuotesBomAndCrlf() {
        String csv = "\uFEFF\"Name\",EMAIL,Phone,Tags,city,First Name\r\n"
                + "\"Chen, Alice\",Alice@Example.com,0912 345 678,VIP; tw|vip,\"Tai\r\npei\",Alice\r\n"
                + "\r\n"
                + "Bob,,+44 20 7946 0958,,,\r\n";
        List<CsvRecipientReader.Row> rows = read(csv, List.of("imported"));
        assertThat(rows).hasSize(2);
        CsvRecipientReader.Row alice = rows.get(0);
        assertThat(alice.valid()).isTrue();
        assertThat(alice.row()).isEqualTo(2);
        assertThat(alice.name()).isEqualTo("Chen, Alice");
        assertThat(alice.email()).isEqualTo("alice@example.com");
        assertThat(alice.phone()).isEqualTo("+886912345678");
        assertThat(alice.tags()).containsExactly("vip", "tw", "imported");
        assertThat(alice.attributes()).containsEntry("city", "Tai\r\npei").containsEntry("First_Name", "Alice");
        CsvRecipientReader.Row bob = rows.get(1);
        assertThat(bob.row()).isEqualTo(3);
        assertThat(bob.email()).isNull();
        assertThat(bob.phone()).isEqualTo("+442079460958");
        assertThat(bob.attributes()).isEmpty();
    }

    @Test
    void repeatedTagsCellsGiveEachRowTheSameTagsAndTheSameError() {
        String csv = "name,email,tags\n"
                + "A,a@example.com,VIP;tw\n"
                + "B,b@example.com,bad tag!\n"
                + "C,c@example.com,VIP;tw\n"
                + "D,d@example.com,bad tag!\n"
                + "E,e@example.com,\n"
                + "F,f@example.com,\n";
        List<CsvRecipientReader.Row> rows = read(csv, List.of("imported"));
        assertThat(rows).extracting(CsvRecipientReader.Row::tags).containsExactly(
                List.of("vip", "tw", "imported"), List.of(), List.of("vip", "tw", "imported"), List.of(),
                List.of("imported"), List.of("imported"));
        assertThat(rows.get(1).errors()).singleElement().satisfies(e -> assertThat(e.column()).isEqualTo("tags"));
        assertThat(rows.get(3).errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(5);
            assertThat(e.column()).isEqualTo("tags");
            assertThat(e.message()).isEqualTo(rows.get(1).errors().get(0).message()).contains("bad tag!");
        });
    }

    @Test
    void reportsEachBadValueWithItsRowAndColumn() {
        String csv = "name,email,phone,tags\n"
                + "A,nope,,\n"
                + "B,,12,\n"
                + "C,,,\n"
                + "D,d@example.com,,bad tag!\n"
                + "E,e@example.com,,,extra\n";
        List<CsvRecipientReader.Row> rows = read(csv, List.of());
        assertThat(rows).extracting(r -> r.errors().get(0).row() + ":" + r.errors().get(0).column())
                .containsExactly("2:email", "3:phone", "4:email", "5:tags", "6:null");
    }

    @Test
    void rejectsFilesWithoutHeaderEmptyOrBinary() {
        assertThatThrownBy(() -> read("alice@example.com,Alice\n", List.of()))
                .isInstanceOf(ImportRejectedException.class).hasMessageContaining("no header");
        assertThatThrownBy(() -> read("name,city\nAnn,Paris\n", List.of()))
                .isInstanceOf(ImportRejectedException.class).hasMessageContaining("no email or phone column");
        assertThatThrownBy(() -> read("", List.of())).isInstanceOf(ImportRejectedException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read(new byte[]{'P', 'K', 3, 4, (byte) 0xC3, (byte) 0x28, 0, 0}, List.of()))
                .isInstanceOf(ImportRejectedException.class).hasMessageContaining("not a CSV");
        assertThatThrownBy(() -> read("email,EMAIL\n", List.of()))
                .isInstanceOf(ImportRejectedException.class).hasMessageContaining("twice");
    }

    @Test
    void aFileThatBreaksOffFailsAtTheRowWhereItBreaks() {
        CsvRecipientReader reader = CsvRecipientReader.open(new ByteArrayInputStream(
                "email\na@example.com\n\"b@example.com\n".getBytes(StandardCharsets.UTF_8)), fields, List.of());
        assertThat(reader.nextRows(100)).extracting(CsvRecipientReader.Row::email).containsExactly("a@example.com");
        assertThatThrownBy(() -> reader.nextRows(100)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void keySetRemembersKeysAcrossGrowth() {
        KeySet keys = new KeySet();
        for (int i = 0; i < 100_000; i++) {
            assertThat(keys.add('e', "user" + i + "@example.com")).isTrue();
        }
        assertThat(keys.add('e', "user5@example.com")).isFalse();
        assertThat(keys.contains('e', "user99999@example.com")).isTrue();
        assertThat(keys.contains('e', "user100000@example.com")).isFalse();
        assertThat(keys.contains('p', "user5@example.com")).as("kinds are kept apart").isFalse();
    }
}
