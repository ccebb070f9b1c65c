package io.herald.security;

/** Herald was asked to listen on a non-loopback address while security is off. */
class UnsafeBindAddressException extends IllegalStateException {
    private final String address;

    UnsafeBindAddressException(String address) {
        super("Refusing to listen on " + address + " with herald.security.enabled=false: anyone who can reach this "
                + "address could message every recipient. Turn security on with herald.security.enabled=true "
                + "(env HERALD_SECURITY_ENABLED=true), or bind to loopback with server.address=127.0.0.1 (the default).");
        this.address = address;
    }

    String address() {
        return address;
    }
}
