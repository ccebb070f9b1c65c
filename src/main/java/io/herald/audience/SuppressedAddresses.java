package io.herald.audience;

import java.util.Collection;
import java.util.Map;

/**
 * Addresses that must never be messaged or brought back by an import (the suppression list, kept by the
 * feedback module, which implements this). Lets the audience module consult the list without depending on
 * the module that owns it.
 */
public interface SuppressedAddresses {
    /** The suppressed ones among {@code addresses} (lower-case emails and E.164 phones), each with its reason. */
    Map<String, String> reasons(Collection<String> addresses);
}
