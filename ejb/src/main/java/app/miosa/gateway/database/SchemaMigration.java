package app.miosa.gateway.database;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema up to date with Flyway before the gateway serves anything. The
 * scripts are those of {@code sql/}, which a DBA may also read and apply by hand: the common ones
 * on every database, and those of {@code sql/postgresql/} on PostgreSQL only.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {
  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  /** Classpath folders of the scripts; Flyway replaces {vendor} with the database's name. */
  static final String[] LOCATIONS = {
    "classpath:db/migration/common", "classpath:db/migration/{vendor}"
  };

  @Resource(lookup = "java:comp/DefaultDataSource")
  private DataSource dataSource;

  @PostConstruct
  void migrate() {
    Flyway flyway =
        Flyway.configure(SchemaMigration.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATIONS)
            .failOnMissingLocations(false)
            .load();
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (RuntimeException e) {
      // The container reports a failed start-up bean without the cause, so it is logged here.
      LOG.severe(
          "Migrating the database schema failed, the gateway cannot start: "
              + e
              + (String.valueOf(e.getMessage()).contains("non-empty schema")
                  ? ". The database has tables but no flyway_schema_history: start the gateway on an"
                      + " empty database, or on a new GATEWAY_DATA_DIR for the embedded one"
                  : ""));
      throw e;
    }
    LOG.info(
        () ->
            "Database schema at version "
                + result.targetSchemaVersion
                + " on "
                + result.database
                + " ("
                + result.migrationsExecuted
                + " scripts applied now)");
  }
}
