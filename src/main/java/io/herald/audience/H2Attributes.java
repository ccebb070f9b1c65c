package io.herald.audience;

/**
 * H2 has no function that reads a member of a JSON text, so migration V16 (H2 only) declares this one as
 * {@code HERALD_ATTRIBUTE(attributes, name)} for segment conditions on attributes. Public because H2 calls it.
 */
public final class H2Attributes {
    private H2Attributes() {
    }

    /** The attribute's value in the recipient's attributes JSON, or null when it has none. */
    public static String attribute(String attributesJson, String name) {
        if (attributesJson == null || name == null) {
            return null;
        }
        return RecipientRepository.readAttributes(attributesJson).get(name);
    }
}
