package io.herald.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused bind into a short start-up message instead of a stack trace. */
public class UnsafeBindAddressFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeBindAddressException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeBindAddressException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set herald.security.enabled=true (and herald.security.bootstrap-key, or use the admin key printed at "
                        + "first start), or set server.address=127.0.0.1 / HERALD_BIND_ADDRESS=127.0.0.1.", cause);
    }
}
