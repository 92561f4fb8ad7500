package app.miosa.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import javax.sql.DataSource;

/**
 * Reads a tenant's audit records with plain JDBC and a database cursor, so that any number of
 * records passes through in constant memory. Column names are also the field names of the audit
 * API's JSON and CSV.
 */
public final class AuditQuery implements AutoCloseable {
  /** Columns in output order, with the type each is read as. */
  public static final List<Column> COLUMNS =
      List.of(
          new Column("id", Type.NUMBER),
          new Column("kind", Type.TEXT),
          new Column("occurred_at", Type.TIME),
          new Column("computer_id", Type.TEXT),
          new Column("api_key", Type.TEXT),
          new Column("ticket_id", Type.TEXT),
          new Column("token_prefix", Type.TEXT),
          new Column("attribution", Type.TEXT),
          new Column("read_only", Type.BOOLEAN),
          new Column("expires_at", Type.TIME),
          new Column("reason", Type.TEXT),
          new Column("remote_address", Type.TEXT),
          new Column("user_agent", Type.TEXT),
          new Column("origin", Type.TEXT),
          new Column("streams_closed", Type.NUMBER),
          new Column("duration_ms", Type.NUMBER),
          new Column("bytes_to_viewer", Type.NUMBER),
          new Column("bytes_from_viewer", Type.NUMBER),
          new Column("input_dropped", Type.NUMBER),
          new Column("close_code", Type.NUMBER));

  /** Rows the driver fetches per round trip. */
  private static final int FETCH_SIZE = 500;

  /** Java type of a column's values, which decides how it is read and written. */
  public enum Type {
    TEXT,
    NUMBER,
    BOOLEAN,
    TIME
  }

  /** A column of the audit API. */
  public record Column(String name, Type type) {}

  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private boolean hasNext;
  private boolean advanced;

  private AuditQuery(Connection connection, PreparedStatement statement, ResultSet rows) {
    this.connection = connection;
    this.statement = statement;
    this.rows = rows;
  }

  /**
   * Runs the query and opens its cursor. The caller reads the rows with {@link #next} and must
   * close the query.
   *
   * @throws SQLException when the database cannot run it, before any row is read
   */
  public static AuditQuery open(DataSource dataSource, AuditFilter filter) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < COLUMNS.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(COLUMNS.get(i).name());
    }
    sql.append(" FROM audit_event WHERE tenant = ? AND id > ?");
    List<Object> parameters = new ArrayList<>(List.of(filter.tenant(), filter.afterId()));
    filter.computerId().ifPresent(value -> add(sql, parameters, "computer_id = ?", value));
    filter.apiKey().ifPresent(value -> add(sql, parameters, "api_key = ?", value));
    filter.kind().ifPresent(value -> add(sql, parameters, "kind = ?", value.name()));
    filter.from().ifPresent(value -> add(sql, parameters, "occurred_at >= ?", utc(value)));
    filter.until().ifPresent(value -> add(sql, parameters, "occurred_at < ?", utc(value)));
    sql.append(" ORDER BY id");

    Connection connection = dataSource.getConnection();
    try {
      // PostgreSQL only streams with a cursor inside a transaction; otherwise it reads every row.
      connection.setAutoCommit(false);
      PreparedStatement statement =
          connection.prepareStatement(
              sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(FETCH_SIZE);
      filter.limit().ifPresent(limit -> setMaxRows(statement, limit));
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      return new AuditQuery(connection, statement, statement.executeQuery());
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      connection.setAutoCommit(true);
      connection.close();
      throw e;
    }
  }

  /** Returns whether another row follows. */
  public boolean hasNext() throws SQLException {
    if (!advanced) {
      hasNext = rows.next();
      advanced = true;
    }
    return hasNext;
  }

  /**
   * Returns the next row's values in {@link #COLUMNS} order: String, Long, Boolean or Instant,
   * null where the record has no value.
   */
  public Object[] next() throws SQLException {
    if (!hasNext()) {
      throw new NoSuchElementException("No more audit records");
    }
    advanced = false;
    Object[] values = new Object[COLUMNS.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = read(rows, i + 1, COLUMNS.get(i).type());
    }
    return values;
  }

  @Override
  public void close() throws SQLException {
    try (connection;
        statement;
        rows) {
      // The pool hands the connection out again, so it goes back as it came.
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  private static Object read(ResultSet rows, int index, Type type) throws SQLException {
    Object value =
        switch (type) {
          case TEXT -> rows.getString(index);
          case NUMBER -> rows.getLong(index);
          case BOOLEAN -> rows.getBoolean(index);
          case TIME -> {
            LocalDateTime time = rows.getObject(index, LocalDateTime.class);
            yield time == null ? null : time.toInstant(ZoneOffset.UTC);
          }
        };
    return rows.wasNull() ? null : value;
  }

  private static void add(StringBuilder sql, List<Object> parameters, String clause, Object value) {
    sql.append(" AND ").append(clause);
    parameters.add(value);
  }

  /** Returns a time as the timestamp columns store it: UTC wall-clock time. */
  private static LocalDateTime utc(Instant time) {
    return LocalDateTime.ofInstant(time, ZoneOffset.UTC);
  }

  private static void setMaxRows(PreparedStatement statement, int limit) {
    try {
      statement.setMaxRows(limit);
    } catch (SQLException e) {
      throw new IllegalStateException("Setting a row limit of " + limit + " failed", e);
    }
  }
}
