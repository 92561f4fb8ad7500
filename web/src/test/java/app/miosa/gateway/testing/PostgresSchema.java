package app.miosa.gateway.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * An empty schema of its own in the PostgreSQL of the tests (127.0.0.1:5432, database {@code
 * test}, user {@code postgres}, trust authentication), dropped with everything in it on close.
 */
public final class PostgresSchema implements AutoCloseable {
  public static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private final String name;

  private PostgresSchema(String name) {
    this.name = name;
  }

  /** Creates a schema named after {@code prefix} with a random suffix. */
  public static PostgresSchema create(String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection db = DriverManager.getConnection(SERVER_URL, USER, "");
        Statement statement = db.createStatement()) {
      statement.execute("CREATE SCHEMA " + name);
    }
    return new PostgresSchema(name);
  }

  public String name() {
    return name;
  }

  /** Returns the JDBC URL whose connections work in this schema. */
  public String jdbcUrl() {
    return SERVER_URL + "?currentSchema=" + name;
  }

  /** Opens a connection as the superuser, working in this schema. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, "");
  }

  @Override
  public void close() throws SQLException {
    try (Connection db = DriverManager.getConnection(SERVER_URL, USER, "");
        Statement statement = db.createStatement()) {
      statement.execute("DROP SCHEMA " + name + " CASCADE");
    }
  }
}
