package io.herald.security;

import java.time.Instant;

/** One audit record: who ({@code actor}, {@code role}) did what ({@code action}) to what ({@code targetType}/{@code targetId}). */
public record AuditEntry(long id, Instant at, String actor, String role, String action, String targetType,
                         String targetId, String detail, String remoteAddr) {
}
