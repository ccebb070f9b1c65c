package io.herald.campaign;

/**
 * One A/B variant of a campaign: its {@code position} (0-based, the order given; what a message stores), a unique
 * {@code name}, its own subject (email) and body template, and its share of the recipients by {@code weight}.
 */
public record Variant(int position, String name, String subject, String template, int weight) {
}
