package app.miosa.gateway.database;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
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

  /** Classpath folder of the scripts every database gets. */
  static final String COMMON_LOCATION = "classpath:db/migration/common";

  /**
   * Classpath folder of the scripts PostgreSQL alone gets. Flyway itself expands no
   * {@code {vendor}} placeholder in locations (Spring Boot does), so the gateway picks it.
   */
  static final String POSTGRESQL_LOCATION = "classpath:db/migration/postgresql";

  @Resource(lookup = "java:comp/DefaultDataSource")
  private DataSource dataSource;

  @PostConstruct
  void migrate() {
    MigrateResult result;
    try {
      Flyway flyway =
          Flyway.configure(SchemaMigration.class.getClassLoader())
              .dataSource(dataSource)
              .locations(locations())
              .load();
      result = flyway.migrate();
    } catch (SQLException e) {
      LOG.severe("Reading the database's product name failed, the gateway cannot start: " + e);
      throw new IllegalStateException("The database cannot be reached", e);
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

  private String[] locations() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName();
      if ("PostgreSQL".equals(product)) {
        return new String[] {COMMON_LOCATION, POSTGRESQL_LOCATION};
      }
      return new String[] {COMMON_LOCATION};
    }
  }
}
