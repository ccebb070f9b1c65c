package io.herald.audience;

import java.util.List;

/** How to import: {@code tags} added to every row's tags; {@code dryRun} validates and counts but stores nothing. */
public record ImportOptions(List<String> tags, boolean dryRun) {
    public ImportOptions {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
