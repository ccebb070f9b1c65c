package io.herald.security;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** API keys (admin only): create (the secret is in this answer only), list, revoke. */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Tag(name = "API keys", description = "Admin: create, list and revoke API keys")
class ApiKeyController {
    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateKeyRequest(String name, String role) {
    }

    record KeyView(long id, String name, String role, String prefix, String createdBy, Instant createdAt,
                   Instant revokedAt, boolean active) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.name(), k.role().wire(), k.prefix(), k.createdBy(), k.createdAt(), k.revokedAt(),
                    k.active());
        }
    }

    record CreatedKeyView(long id, String name, String role, String prefix, String createdBy, Instant createdAt,
                          String key) {
        @Override
        public String toString() {
            return "CreatedKeyView[id=" + id + ", name=" + name + ", role=" + role + ", key=****]";
        }
    }

    record KeyList(List<KeyView> items) {
    }

    @PostMapping("/api-keys")
    @Operation(summary = "Create an API key", description = "{name, role: admin|editor|viewer} -> 201 with `key`, "
            + "the secret, shown this once (only its hash is stored)")
    ResponseEntity<CreatedKeyView> create(@RequestBody CreateKeyRequest request) {
        HeraldPrincipal who = Principals.current();
        CreatedApiKey created = keys.create(request.name(), request.role(), who == null ? "anonymous" : who.actor());
        ApiKey k = created.key();
        return ResponseEntity.created(URI.create("/api-keys/" + k.id())).body(new CreatedKeyView(k.id(), k.name(),
                k.role().wire(), k.prefix(), k.createdBy(), k.createdAt(), created.secret()));
    }

    @GetMapping("/api-keys")
    @Operation(summary = "List API keys (never their secrets)")
    KeyList list() {
        return new KeyList(keys.list().stream().map(KeyView::of).toList());
    }

    @GetMapping("/api-keys/{id}")
    @Operation(summary = "One API key (never its secret)")
    KeyView get(@PathVariable long id) {
        return keys.find(id).map(KeyView::of).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/api-keys/{id}")
    @Operation(summary = "Revoke an API key", description = "204; the key stops working at once. Revoking twice is harmless.")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        if (!keys.revoke(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ErrorResponseException notFound(long id) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemWriter.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "API key " + id + " does not exist"), null);
    }
}
