package io.herald.audience;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads recipients from a CSV stream one record at a time (Commons CSV): UTF-8 with or without a BOM,
 * quoted fields (with commas, quotes and line breaks inside), LF or CRLF line ends.
 * <p>
 * The first record must be a header naming the columns. {@code name}, {@code email}, {@code phone} and
 * {@code tags} (separated by {@code ;} or {@code |}) are known columns, matched case-insensitively;
 * every other named column becomes an attribute usable in templates (its name made template-friendly,
 * e.g. {@code "First Name"} → {@code First_Name}). The header must have an email or a phone column.
 */
final class CsvRecipientReader implements Closeable {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();
    private static final Pattern TAG_SEPARATOR = Pattern.compile("[;|,]");
    /** Distinct tags cells (of at most 256 characters) remembered per file; real files repeat a few combinations. */
    private static final int TAGS_CELLS_KEPT = 4096;
    private static final int TAGS_CELL_KEPT_LENGTH = 256;

    /** One data row: either a recipient to upsert ({@code errors} empty) or the reasons it is skipped. */
    record Row(long row, String name, String email, String phone, List<String> tags, Map<String, String> attributes,
               List<ImportRowError> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final ContactFields fields;
    private final List<String> extraTags;
    private final int columnCount;
    private UncheckedIOException broken;
    private int nameColumn = -1;
    private int emailColumn = -1;
    private int phoneColumn = -1;
    private int tagsColumn = -1;
    private final Map<Integer, String> attributeColumns = new LinkedHashMap<>();
    /** A tags cell's normalised tags (an immutable list), or the message of why it is invalid. */
    private final Map<String, Object> tagsByCell = new HashMap<>();

    private CsvRecipientReader(CSVParser parser, ContactFields fields, List<String> extraTags) {
        this.parser = parser;
        this.records = parser.iterator();
        this.fields = fields;
        this.extraTags = extraTags;
        CSVRecord header = nextRecord(true);
        if (header == null) {
            throw new ImportRejectedException("the file is empty: a CSV import needs a header row, e.g. name,email,phone,tags");
        }
        columnCount = header.size();
        for (int i = 0; i < header.size(); i++) {
            String title = header.get(i);
            if (title.indexOf('\0') >= 0) {
                throw new ImportRejectedException("the file is not a CSV text file");
            }
            switch (title.toLowerCase(Locale.ROOT)) {
                case "name" -> nameColumn = claim(nameColumn, i, title);
                case "email", "e-mail" -> emailColumn = claim(emailColumn, i, title);
                case "phone", "mobile", "msisdn" -> phoneColumn = claim(phoneColumn, i, title);
                case "tags" -> tagsColumn = claim(tagsColumn, i, title);
                default -> {
                    String key = ContactFields.attributeKey(title);
                    if (key != null) {
                        if (attributeColumns.containsValue(key)) {
                            throw new ImportRejectedException("the header names the column \"" + key + "\" twice");
                        }
                        attributeColumns.put(i, key);
                    }
                }
            }
        }
        if (emailColumn < 0 && phoneColumn < 0) {
            boolean looksLikeData = header.stream().anyMatch(v -> v.contains("@") || v.matches("\\+?[0-9 ()-]{6,}"));
            throw new ImportRejectedException(looksLikeData
                    ? "no header row: the first row looks like data; add a header such as name,email,phone,tags"
                    : "the header row has no email or phone column (known columns: name, email, phone, tags)");
        }
    }

    /** Opens the stream and reads the header; {@link ImportRejectedException} if it is not an importable CSV. */
    static CsvRecipientReader open(InputStream in, ContactFields fields, List<String> extraTags) {
        // Strict UTF-8: bytes that are not UTF-8 text (a spreadsheet, an image) fail instead of turning into '?'.
        InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            java.io.PushbackReader text = new java.io.PushbackReader(new BufferedReader(reader, 1 << 16), 1);
            int first = text.read();
            if (first >= 0 && first != '\uFEFF') {
                text.unread(first);
            }
            CSVParser parser = CSVParser.builder().setReader(text).setFormat(FORMAT).get();
            return new CsvRecipientReader(parser, fields, extraTags);
        } catch (IOException | UncheckedIOException e) {
            throw new ImportRejectedException(describe(e, true));
        }
    }

    /** The next data row, or null at the end of the file. {@link UncheckedIOException} when the file breaks off. */
    Row next() {
        CSVRecord record = nextRecord(false);
        return record == null ? null : parse(record);
    }

    /**
     * Up to {@code max} next records, validated; empty at the end of the file. {@link UncheckedIOException} when the file breaks off.
     */
    List<Row> nextRows(int max) {
        if (broken != null) {
            throw broken;
        }
        List<CSVRecord> chunk = new ArrayList<>(max);
        try {
            for (CSVRecord record = nextRecord(false); record != null; record = chunk.size() < max ? nextRecord(false) : null) {
                chunk.add(record);
                if (chunk.size() >= max) {
                    break;
                }
            }
        } catch (UncheckedIOException e) {
            if (chunk.isEmpty()) {
                throw e;
            }
            broken = e; // the rows read before the break are returned (and kept) first
        }
        // Validated on this thread: the import's writer thread is the bottleneck, and a parallel stream here
        // only took CPU from it (measured: no faster on either database with 2 cores).
        List<Row> rows = new ArrayList<>(chunk.size());
        for (CSVRecord record : chunk) {
            rows.add(parse(record));
        }
        return rows;
    }

    /** The row number the next failure would be reported at (the record being read). */
    long position() {
        return parser.getRecordNumber() + 1;
    }

    private CSVRecord nextRecord(boolean header) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            if (header) {
                throw new ImportRejectedException(describe(e, true));
            }
            throw new UncheckedIOException(describe(e, false), e instanceof UncheckedIOException u ? u.getCause()
                    : new IOException(e));
        }
    }

    static String describe(Exception e, boolean header) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharacterCodingException) {
                return header ? "the file is not a CSV text file (it is not UTF-8 text)"
                        : "the file is not valid UTF-8 text from this row on";
            }
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return header ? "the file is not a readable CSV: " + message : "the CSV breaks off here: " + message;
    }

    Row parse(CSVRecord record) {
        long row = record.getRecordNumber();
        List<ImportRowError> errors = new ArrayList<>(1);
        if (record.size() > columnCount && !allBlank(record, columnCount)) {
            errors.add(new ImportRowError(row, null, "the row has " + record.size() + " fields but the header has "
                    + columnCount + " (quote values that contain commas)"));
            return new Row(row, null, null, null, List.of(), Map.of(), errors);
        }
        String name = null;
        String email = null;
        String phone = null;
        List<String> tags = List.of();
        try {
            name = ContactFields.name(value(record, nameColumn));
        } catch (ContactFields.Invalid e) {
            errors.add(new ImportRowError(row, "name", e.getMessage()));
        }
        try {
            email = ContactFields.email(value(record, emailColumn));
        } catch (ContactFields.Invalid e) {
            errors.add(new ImportRowError(row, "email", e.getMessage()));
        }
        try {
            phone = fields.phone(value(record, phoneColumn));
        } catch (ContactFields.Invalid e) {
            errors.add(new ImportRowError(row, "phone", e.getMessage()));
        }
        if (email == null && phone == null && errors.isEmpty()) {
            errors.add(new ImportRowError(row, emailColumn >= 0 ? "email" : "phone",
                    "a recipient needs an email or a phone number"));
        }
        Object cellTags = tags(value(record, tagsColumn));
        if (cellTags instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<String> valid = (List<String>) list;
            tags = valid;
        } else {
            errors.add(new ImportRowError(row, "tags", (String) cellTags));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> column : attributeColumns.entrySet()) {
            String v = value(record, column.getKey());
            if (v != null && !v.isEmpty()) {
                attributes.put(column.getValue(), v);
            }
        }
        try {
            ContactFields.checkAttributesSize(attributes);
        } catch (ContactFields.Invalid e) {
            errors.add(new ImportRowError(row, null, e.getMessage()));
        }
        return new Row(row, name, email, phone, tags, attributes, errors);
    }

    /**
     * The tags of a cell and of the import's extra tags: an immutable list, or the reason they are invalid. Splitting
     * and normalising each cell was 14 % of the import thread's time, so each distinct cell is worked out once.
     */
    private Object tags(String rawTags) {
        String cell = rawTags == null ? "" : rawTags;
        Object known = tagsByCell.get(cell);
        if (known != null) {
            return known;
        }
        List<String> all = new ArrayList<>();
        if (!cell.isBlank()) {
            all.addAll(List.of(TAG_SEPARATOR.split(cell)));
        }
        all.addAll(extraTags);
        try {
            known = List.copyOf(ContactFields.tags(all));
        } catch (ContactFields.Invalid e) {
            known = e.getMessage();
        }
        if (tagsByCell.size() < TAGS_CELLS_KEPT && cell.length() <= TAGS_CELL_KEPT_LENGTH) {
            tagsByCell.put(cell, known);
        }
        return known;
    }

    private static boolean allBlank(CSVRecord record, int from) {
        for (int i = from; i < record.size(); i++) {
            if (!record.get(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String value(CSVRecord record, int column) {
        return column < 0 || column >= record.size() ? null : record.get(column);
    }

    private static int claim(int current, int index, String title) {
        if (current >= 0) {
            throw new ImportRejectedException("the header names the column \"" + title + "\" twice");
        }
        return index;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
