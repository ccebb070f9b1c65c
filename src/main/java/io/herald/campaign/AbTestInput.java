package io.herald.campaign;

/**
 * Automatic-winner settings as given: {@code share} percent of the segment (1 to 99) gets the variants, then after
 * {@code wait} (ISO-8601 duration, e.g. {@code PT2H}) the variant with the most unique {@code metric} ("clicks",
 * the default, or "opens") per message sent goes to the rest.
 */
public record AbTestInput(Integer share, String metric, String waitTime) {
}
