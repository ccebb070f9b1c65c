package io.herald.audience;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code herald.audience.*}: {@code default-region} is the ISO 3166 region (e.g. {@code TW}, {@code US})
 * assumed for phone numbers written without a leading {@code +}.
 */
@ConfigurationProperties("herald.audience")
public record AudienceProperties(String defaultRegion) {
    public AudienceProperties {
        defaultRegion = defaultRegion == null || defaultRegion.isBlank() ? "US" : defaultRegion.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
