package io.herald.template;

/**
 * How an SMS text travels: GSM-7 when every character is in the GSM 03.38 alphabet (160 septets in one message,
 * 153 per part once split, the extension characters {@code ^{}[]~\|€} and form feed taking two), otherwise UCS-2
 * (70 UTF-16 units, 67 per part; an emoji takes two). A character is never split across parts, as phones
 * reassemble whole characters. {@code units} is the length in septets (GSM-7) or UTF-16 units (UCS-2).
 */
public record SmsLength(Encoding encoding, int units, int segments) {
    public enum Encoding {
        GSM_7, UCS_2;

        /** {@code GSM-7} / {@code UCS-2}, as gateways and phones name them. */
        public String label() {
            return this == GSM_7 ? "GSM-7" : "UCS-2";
        }
    }

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "^{}\\[~]|€\f";

    /** Measures a rendered SMS body. */
    public static SmsLength of(String text) {
        String body = text == null ? "" : text;
        int[] gsmSizes = gsmSizes(body);
        if (gsmSizes != null) {
            return measure(Encoding.GSM_7, gsmSizes, 160, 153);
        }
        // UCS-2 counts UTF-16 units; a surrogate pair (emoji) is one character of two units.
        int[] sizes = body.codePoints().map(Character::charCount).toArray();
        return measure(Encoding.UCS_2, sizes, 70, 67);
    }

    /** Septets per character, or null when a character has no GSM-7 form. */
    private static int[] gsmSizes(String body) {
        int[] sizes = new int[body.length()];
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (BASIC.indexOf(c) >= 0) {
                sizes[i] = 1;
            } else if (EXTENSION.indexOf(c) >= 0) {
                sizes[i] = 2;
            } else {
                return null;
            }
        }
        return sizes;
    }

    private static SmsLength measure(Encoding encoding, int[] sizes, int single, int perPart) {
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        if (total <= single) {
            return new SmsLength(encoding, total, 1);
        }
        int parts = 1;
        int used = 0;
        for (int size : sizes) {
            if (used + size > perPart) {
                parts++;
                used = 0;
            }
            used += size;
        }
        return new SmsLength(encoding, total, parts);
    }
}
