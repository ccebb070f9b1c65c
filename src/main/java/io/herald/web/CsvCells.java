package io.herald.web;

/**
 * CSV cells that spreadsheets cannot run: text starting with {@code = + - @}, tab or carriage return is
 * read as a formula by Excel, LibreOffice and Google Sheets ("CSV injection"), so it gets a leading single
 * quote, which makes the cell plain text.
 */
public final class CsvCells {
    private CsvCells() {
    }

    public static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            return "'" + value;
        }
        return value;
    }
}
