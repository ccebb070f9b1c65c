package io.herald.audience;

/**
 * Why one CSV row was skipped: {@code row} is the row's number in the file counting the header as row 1
 * (so it matches a spreadsheet's row numbers), {@code column} the offending column or null for the whole row.
 */
public record ImportRowError(long row, String column, String message) {
}
