package app.miosa.gateway.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * An empty schema of its own in the test database: PostgreSQL on 127.0.0.1:5432, database {@code
 * test}, user {@code postgres} with trust authentication.
 */
public final class PostgreSqlSchema {
  public static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private final String name;

  private PostgreSqlSchema(String name) {
    this.name = name;
  }

  /** Creates a schema with a random name that starts with {@code prefix}. */
  public static PostgreSqlSchema create(String prefix) throws SQLException {
    PostgreSqlSchema schema =
        new PostgreSqlSchema(prefix + UUID.randomUUID().toString().replace("-", ""));
    try (Connection db = DriverManager.getConnection(SERVER_URL, USER, "");
        Statement statement = db.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema.name);
    }
    return schema;
  }

  public String name() {
    return name;
  }

  /** Returns the JDBC URL whose unqualified table names resolve in this schema. */
  public String jdbcUrl() {
    return SERVER_URL + "?currentSchema=" + name;
  }

  /** Opens a connection as the superuser, with this schema first in the search path. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, "");
  }

  /** Drops the schema and everything in it. */
  public void drop() throws SQLException {
    try (Connection db = DriverManager.getConnection(SERVER_URL, USER, "");
        Statement statement = db.createStatement()) {
      statement.execute("DROP SCHEMA " + name + " CASCADE");
    }
  }
}
