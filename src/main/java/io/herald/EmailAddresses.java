package io.herald;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Checks sender and reply-to addresses ({@code news@example.com} or {@code "Herald News <news@example.com>"}). */
public final class EmailAddresses {
    private EmailAddresses() {
    }

    /** Why {@code address} is not one valid RFC 5322 mailbox, or null when it is. */
    public static String problem(String address) {
        try {
            InternetAddress[] parsed = InternetAddress.parse(address.strip(), true);
            if (parsed.length != 1) {
                return "must be exactly one address, got " + parsed.length;
            }
            parsed[0].validate();
            String mailbox = parsed[0].getAddress();
            if (mailbox == null || mailbox.indexOf('@') < 1 || mailbox.indexOf('@') == mailbox.length() - 1) {
                return "is not an email address (expected name@domain)";
            }
            return null;
        } catch (AddressException e) {
            return "is not a valid email address: " + e.getMessage();
        }
    }

    /** Parses an address that {@link #problem} accepted. */
    public static InternetAddress parse(String address) {
        try {
            return new InternetAddress(address.strip(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("invalid email address " + address + ": " + e.getMessage(), e);
        }
    }
}
