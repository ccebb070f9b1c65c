package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The CSV reader on hostile files: any bytes are either rejected up front ({@link ImportRejectedException}, the
 * answer's 400) or read as rows, each valid or carrying its errors, until the end or until the file breaks off
 * ({@link UncheckedIOException}, reported at that row). Nothing else is ever thrown, and every valid row is stored
 * in normalised form.
 */
class CsvRecipientReaderPropertyTest {
    private static final ContactFields FIELDS = new ContactFields("TW");

    @Property(tries = 500)
    void anyBytesAreRejectedOrReadAsRows(@ForAll("bytes") byte[] bytes) {
        readAll(bytes);
    }

    @Property(tries = 1000)
    void csvShapedFilesAreReadIntoNormalisedRowsOrRowErrors(@ForAll("csvFiles") byte[] file) {
        readAll(file);
    }

    @Property(tries = 300)
    void writtenRecipientsAreReadBackNormalised(@ForAll("recipients") List<Tuple.Tuple4<String, String, String, String>> people,
                                               @ForAll("lineEnds") String lineEnd, @ForAll boolean bom) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (bom) {
            out.write(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT.builder().setRecordSeparator(lineEnd).get())) {
            printer.printRecord("Name", "E-Mail", "Mobile", "Tags", "First City");
            for (Tuple.Tuple4<String, String, String, String> p : people) {
                printer.printRecord(p.get1(), p.get2(), p.get3(), p.get4(), "Tai,\"pei\"\n" + p.get1());
            }
        }
        List<CsvRecipientReader.Row> rows = readAll(out.toByteArray());
        assertThat(rows).hasSize(people.size());
        for (int i = 0; i < rows.size(); i++) {
            CsvRecipientReader.Row row = rows.get(i);
            Tuple.Tuple4<String, String, String, String> p = people.get(i);
            assertThat(row.errors()).as("row %s of %s", i + 2, p).isEmpty();
            assertThat(row.row()).isEqualTo(i + 2);
            assertThat(row.name()).isEqualTo(p.get1().trim());
            assertThat(row.email()).isEqualTo(p.get2().trim().toLowerCase(java.util.Locale.ROOT));
            assertThat(row.phone()).isEqualTo("+886912345678");
            assertThat(row.attributes()).containsEntry("First_City", ("Tai,\"pei\"\n" + p.get1()).trim());
        }
    }

    /** Reads every row, checking the contract; returns the rows read before the end (or the break). */
    static List<CsvRecipientReader.Row> readAll(byte[] bytes) {
        List<CsvRecipientReader.Row> rows = new ArrayList<>();
        CsvRecipientReader reader;
        try {
            reader = CsvRecipientReader.open(new ByteArrayInputStream(bytes), FIELDS, List.of("imported"));
        } catch (ImportRejectedException e) {
            assertThat(e.getMessage()).isNotBlank();
            return rows;
        }
        long lastRow = 1;
        try {
            for (List<CsvRecipientReader.Row> chunk = reader.nextRows(7); !chunk.isEmpty(); chunk = reader.nextRows(7)) {
                for (CsvRecipientReader.Row row : chunk) {
                    assertThat(row.row()).isGreaterThan(lastRow);
                    lastRow = row.row();
                    checkRow(row);
                    rows.add(row);
                }
            }
        } catch (UncheckedIOException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(reader.position()).isGreaterThan(1);
        }
        return rows;
    }

    private static void checkRow(CsvRecipientReader.Row row) {
        assertThat(row.errors()).allSatisfy(e -> {
            assertThat(e.row()).isEqualTo(row.row());
            assertThat(e.message()).isNotBlank();
        });
        if (!row.valid()) {
            return;
        }
        assertThat(row.email() != null || row.phone() != null).as("a recipient needs an email or a phone").isTrue();
        try {
            assertThat(ContactFields.email(row.email())).isEqualTo(row.email());
            assertThat(FIELDS.phone(row.phone())).isEqualTo(row.phone());
            assertThat(ContactFields.name(row.name())).isEqualTo(row.name());
            assertThat(ContactFields.tags(row.tags())).isEqualTo(row.tags());
        } catch (ContactFields.Invalid e) {
            throw new AssertionError("a valid row holds a value that does not normalise: " + e.getMessage(), e);
        }
        assertThat(row.tags()).contains("imported");
        assertThat(row.attributes()).allSatisfy((key, value) -> {
            assertThat(ContactFields.attributeKey(key)).isEqualTo(key);
            assertThat(value).isNotEmpty();
        });
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> zipLike = Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                .map(b -> concat(new byte[]{'P', 'K', 3, 4}, b));
        Arbitrary<byte[]> headerThenJunk = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .map(b -> concat("name,email,phone,tags\n".getBytes(StandardCharsets.UTF_8), b));
        return Arbitraries.oneOf(random, zipLike, headerThenJunk);
    }

    /** A header of known, odd and duplicate columns, then rows of cells with quotes, separators, line breaks and junk. */
    @Provide
    Arbitrary<byte[]> csvFiles() {
        Arbitrary<String> column = Arbitraries.of("name", "Name", "email", "E-Mail", "phone", "mobile", "msisdn", "tags", "city",
                "First Name", "id", "!!", "", "\"quoted, column\"", "x".repeat(70), "é");
        Arbitrary<String> cell = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("ann@example.com", "ANN@EXAMPLE.COM ", "bad@", "0912 345 678", "+44 20 7946 0958", "12",
                        "vip;tw|x", "bad tag!", "\"quoted, cell\"", "\"a\"\"b\"", "\"line\nbreak\"", "", " ", "💌", "\u0000",
                        "x".repeat(300))),
                Tuple.of(1, Arbitraries.of("\"unterminated", "a\"b")),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(12)));
        // mostly an importable header (distinct columns, one of them email or phone), sometimes a broken one
        Arbitrary<List<String>> columns = Arbitraries.frequencyOf(
                Tuple.of(4, column.list().uniqueElements(CsvRecipientReaderPropertyTest::columnKind).ofMinSize(1).ofMaxSize(6).map(c -> {
                    List<String> withAddress = new ArrayList<>(c);
                    if (withAddress.stream().map(CsvRecipientReaderPropertyTest::columnKind).noneMatch(k -> k.equals("email") || k.equals("phone"))) {
                        withAddress.add(0, "email");
                    }
                    return withAddress;
                })),
                Tuple.of(1, Arbitraries.oneOf(column, Arbitraries.just("a\u0000b")).list().ofMinSize(1).ofMaxSize(6)));
        Arbitrary<String> lineEnd = Arbitraries.of("\n", "\r\n", "\r", "\n\n");
        Arbitrary<byte[]> tail = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(new byte[0])),
                Tuple.of(1, Arbitraries.of(new byte[]{(byte) 0xC3, (byte) 0x28}, new byte[]{(byte) 0xFF}, new byte[]{'"'})));
        Arbitrary<String> email = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("ann@example.com", " Bo@Example.COM ",
                "\"c+news@mail.example.org\"", "")), Tuple.of(1, cell));
        Arbitrary<String> phone = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("0912 345 678", "+44 20 7946 0958",
                "\"+1 (202) 555-0143\"", "")), Tuple.of(1, cell));
        Arbitrary<String> tags = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("vip", "\"VIP;tw|a,b\"", "")), Tuple.of(1, cell));
        return columns.flatMap(header -> {
            List<Arbitrary<String>> cells = new ArrayList<>();
            for (String c : header) {
                cells.add(switch (columnKind(c)) {
                    case "email" -> email;
                    case "phone" -> phone;
                    case "tags" -> tags;
                    default -> cell;
                });
            }
            Arbitrary<String> row = Arbitraries.frequencyOf(
                    Tuple.of(6, Combinators.combine(cells).as(c -> String.join(",", c))),
                    Tuple.of(1, cell.list().ofMaxSize(header.size() + 2).map(c -> String.join(",", c))));
            return Combinators.combine(Arbitraries.of("", "\uFEFF"), row.list().ofMaxSize(12), lineEnd, tail)
                    .as((bom, rows, end, junk) -> concat((bom + String.join(",", header) + end + String.join(end, rows))
                            .getBytes(StandardCharsets.UTF_8), junk));
        });
    }

    @Provide
    Arbitrary<List<Tuple.Tuple4<String, String, String, String>>> recipients() {
        Arbitrary<String> name = Arbitraries.strings().ofMaxLength(40).filter(s -> s.strip().length() <= ContactFields.MAX_NAME)
                .filter(s -> s.indexOf('\0') < 0);
        Arbitrary<String> email = Combinators.combine(Arbitraries.strings().withChars("abcXYZ019.+_").ofMinLength(1).ofMaxLength(20)
                        .filter(s -> !s.contains("..")), Arbitraries.of("example.com", "Mail.Example.ORG"), Arbitraries.of("", " "))
                .as((local, domain, pad) -> pad + local + "@" + domain + pad);
        Arbitrary<String> phone = Arbitraries.of("0912 345 678", "+886 912-345-678", "0912345678", "0912-345-678");
        Arbitrary<String> tags = Arbitraries.of("", "vip", "VIP;tw", "a|b|c", " x , y ");
        return Combinators.combine(name, email, phone, tags).as(Tuple::of).list().ofMaxSize(15);
    }

    @Provide
    Arbitrary<String> lineEnds() {
        return Arbitraries.of("\n", "\r\n");
    }

    /** Columns that the reader takes for the same one (case, aliases): a header naming one twice is rejected. */
    private static String columnKind(String column) {
        return switch (column.toLowerCase(java.util.Locale.ROOT)) {
            case "email", "e-mail" -> "email";
            case "phone", "mobile", "msisdn" -> "phone";
            default -> column.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
