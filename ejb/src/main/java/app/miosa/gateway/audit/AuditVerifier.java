package app.miosa.gateway.audit;

import app.miosa.gateway.config.GatewaySettings;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.CacheStoreMode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Verifies the whole audit trail, of every tenant: each record against its MAC, each seal's count
 * and digest against the records of its period, and the chain of seals. Records outside every seal,
 * such as those newer than the last seal, are checked by their MAC only, so their removal goes
 * unnoticed.
 *
 * <p>Seals and records are read in pages of fixed size, so memory does not grow with the trail.
 * Every read bypasses the shared cache, so that rows changed in the database are seen as stored.
 */
@Stateless
public class AuditVerifier {
  /** Records read per query. */
  static final int RECORD_BATCH_SIZE = 500;

  /** Seals read per query. */
  static final int SEAL_BATCH_SIZE = 100;

  private static final String RETRIEVE_MODE = "jakarta.persistence.cache.retrieveMode";
  private static final String STORE_MODE = "jakarta.persistence.cache.storeMode";

  @PersistenceContext private EntityManager em;
  @Inject private GatewaySettings settings;

  private AuditIntegrity integrity;

  @PostConstruct
  void createIntegrity() {
    integrity = new AuditIntegrity(settings.auditKey());
  }

  /**
   * Verifies every seal and record. Runs outside a transaction: each page is read as committed at
   * that moment, and records written meanwhile are checked or not depending on when their page is
   * read.
   *
   * @throws jakarta.persistence.PersistenceException when the database fails
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public AuditVerification verifyTrail() {
    TrailCheck check = new TrailCheck(integrity);
    // The latest end of any seal read so far: records after it belong to no seal read yet.
    Instant coveredUntil = null;
    Instant lastCoversFrom = null;
    List<AuditSeal> seals;
    do {
      seals = sealsAfter(lastCoversFrom);
      em.clear();
      for (AuditSeal stored : seals) {
        TrailCheck.Seal seal = TrailCheck.Seal.of(stored);
        if (coveredUntil == null || seal.coversFrom().isAfter(coveredUntil)) {
          checkUnsealedRecords(coveredUntil, seal.coversFrom(), check);
        }
        check.beginSeal(seal);
        forEachRecord(seal.coversFrom(), seal.coversUntil(), check::sealedRecord);
        check.endSeal();
        if (coveredUntil == null || seal.coversUntil().isAfter(coveredUntil)) {
          coveredUntil = seal.coversUntil();
        }
        lastCoversFrom = seal.coversFrom();
      }
    } while (seals.size() == SEAL_BATCH_SIZE);
    checkUnsealedRecords(coveredUntil, null, check);
    return check.result();
  }

  private String macOf(AuditEvent record) {
    return integrity.recordMac(record);
  }

  private void checkUnsealedRecords(Instant after, Instant upTo, TrailCheck check) {
    forEachRecord(after, upTo, check::unsealedRecord);
  }

  private List<AuditSeal> sealsAfter(Instant coversFrom) {
    String where = coversFrom == null ? "" : " WHERE s.coversFrom > :after";
    TypedQuery<AuditSeal> query =
        em.createQuery(
                "SELECT s FROM AuditSeal s" + where + " ORDER BY s.coversFrom", AuditSeal.class)
            .setMaxResults(SEAL_BATCH_SIZE);
    if (coversFrom != null) {
      query.setParameter("after", coversFrom.atOffset(ZoneOffset.UTC));
    }
    return bypassCache(query).getResultList();
  }

  /**
   * Checks the records with {@code after < occurred_at <= upTo}: first those of a known kind in id
   * order, then the ids of rows whose kind is none the gateway writes, which JPA cannot read. The
   * seal digest of a period with such rows fails whatever their order.
   *
   * @param after the exclusive start, or null for no start
   * @param upTo the inclusive end, or null for no end
   * @param check receives each record's id, stored MAC and expected MAC, null when unreadable
   */
  private void forEachRecord(Instant after, Instant upTo, RecordCheck check) {
    TypedQuery<AuditEvent> records =
        bypassCache(rangeQuery("e", "e.kind IN :kinds", after, upTo, AuditEvent.class));
    forEachPage(
        records,
        AuditEvent::getId,
        record -> check.accept(record.getId(), record.getRowMac(), macOf(record)));

    TypedQuery<Long> unreadable =
        rangeQuery("e.id", "e.kind NOT IN :kinds", after, upTo, Long.class);
    forEachPage(unreadable, id -> id, id -> check.accept(id, null, null));
  }

  /** Returns a query of records in a period, in id order, with {@code afterId} still to set. */
  private <T> TypedQuery<T> rangeQuery(
      String select, String condition, Instant after, Instant upTo, Class<T> type) {
    StringBuilder jpql =
        new StringBuilder("SELECT ")
            .append(select)
            .append(" FROM AuditEvent e WHERE e.id > :afterId AND ")
            .append(condition);
    if (after != null) {
      jpql.append(" AND e.occurredAt > :after");
    }
    if (upTo != null) {
      jpql.append(" AND e.occurredAt <= :upTo");
    }
    jpql.append(" ORDER BY e.id");
    TypedQuery<T> query =
        em.createQuery(jpql.toString(), type)
            .setParameter("kinds", List.of(AuditKind.values()))
            .setMaxResults(RECORD_BATCH_SIZE);
    if (after != null) {
      query.setParameter("after", after.atOffset(ZoneOffset.UTC));
    }
    if (upTo != null) {
      query.setParameter("upTo", upTo.atOffset(ZoneOffset.UTC));
    }
    return query;
  }

  /** Passes each result to an action, page by page, clearing the persistence context after each. */
  private <T> void forEachPage(TypedQuery<T> query, Function<T, Long> idOf, Consumer<T> action) {
    long afterId = Long.MIN_VALUE;
    List<T> page;
    do {
      page = query.setParameter("afterId", afterId).getResultList();
      for (T result : page) {
        action.accept(result);
        afterId = idOf.apply(result);
      }
      em.clear();
    } while (page.size() == RECORD_BATCH_SIZE);
  }

  @FunctionalInterface
  private interface RecordCheck {
    void accept(long recordId, String storedMac, String expectedMac);
  }

  private static <T> TypedQuery<T> bypassCache(TypedQuery<T> query) {
    return query
        .setHint(RETRIEVE_MODE, CacheRetrieveMode.BYPASS)
        .setHint(STORE_MODE, CacheStoreMode.BYPASS);
  }
}
