package io.herald.audience;

/** A tag and how many recipients (not deleted) carry it. */
public record TagCount(String tag, long count) {
}
