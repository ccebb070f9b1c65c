package io.herald.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** A keyset page: pass {@code next_cursor} back as {@code cursor} for the next one; null at the end. */
@Schema(description = "One page of results; pass next_cursor as the cursor parameter to get the next page")
public record PageView<T>(List<T> items,
                          @Schema(description = "Opaque cursor of the next page, null when this is the last", nullable = true)
                          String nextCursor) {
}
