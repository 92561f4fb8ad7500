package app.miosa.gateway.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Selection of a tenant's audit records to read. Every field is optional except the tenant, and
 * records come in id order, after {@code afterId}.
 *
 * @param tenant the caller's tenant; no other tenant's records are ever read
 * @param computerId only records about this computer
 * @param apiKey only records made by this API key
 * @param kind only records of this kind
 * @param from only records that occurred at or after this time
 * @param until only records that occurred before this time
 * @param afterId only records with a greater id: the cursor of keyset pagination
 * @param limit at most this many records, or empty for all
 */
public record AuditFilter(
    String tenant,
    Optional<String> computerId,
    Optional<String> apiKey,
    Optional<AuditKind> kind,
    Optional<Instant> from,
    Optional<Instant> until,
    long afterId,
    Optional<Integer> limit) {}
