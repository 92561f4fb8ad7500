package app.miosa.gateway.api;

import app.miosa.gateway.audit.AuditFilter;
import app.miosa.gateway.audit.AuditKind;
import app.miosa.gateway.audit.AuditQuery;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.tenant.Caller;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Reads the caller's tenant's audit records, filtered and in id order: JSON pages by default, or
 * every matching record as CSV, streamed from a database cursor in constant memory.
 */
@Path("v1/audit-events")
@RequestScoped
public class AuditEventResource {
  static final String TEXT_CSV = "text/csv";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_FILTER_LENGTH = 128;

  /** Range of times a filter may name; both databases store every time in it. */
  static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static final Logger LOG = Logger.getLogger(AuditEventResource.class.getName());

  @Inject JsonWebToken token;

  @Resource(lookup = "java:comp/DefaultDataSource")
  DataSource dataSource;

  @QueryParam("computer_id")
  String computerId;

  @QueryParam("api_key")
  String apiKey;

  @QueryParam("kind")
  String kind;

  @QueryParam("from")
  String from;

  @QueryParam("until")
  String until;

  @QueryParam("after")
  String after;

  @QueryParam("limit")
  String limit;

  /**
   * Returns one page: {@code {"events": [...], "next_after": id}}, where {@code next_after} is the
   * {@code after} of the next page, or null on the last page.
   */
  @Operation(summary = "Read audit records as a JSON page")
  @APIResponse(responseCode = "200", description = "events and next_after, the cursor of the next page")
  @GET
  // A request that accepts both, or sends no Accept header, gets JSON: without the server-side
  // quality the choice between the two methods depends on their reflection order.
  @Produces(MediaType.APPLICATION_JSON + "; qs=1")
  @RolesAllowed(Roles.AUDIT_READ)
  public Response page() {
    AuditFilter filter = filter(Optional.of(parseLimit().orElse(DEFAULT_LIMIT)));
    JsonArrayBuilder events = JsonBodies.JSON.createArrayBuilder();
    int count = 0;
    Long lastId = null;
    try (AuditQuery query = AuditQuery.open(dataSource, filter)) {
      while (query.hasNext()) {
        Object[] values = query.next();
        events.add(toJson(values));
        lastId = (Long) values[0];
        count++;
      }
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
    JsonObjectBuilder page = JsonBodies.JSON.createObjectBuilder().add("events", events);
    if (count == filter.limit().orElseThrow() && lastId != null) {
      page.add("next_after", lastId);
    } else {
      page.addNull("next_after");
    }
    return Response.ok(page.build().toString()).build();
  }

  /**
   * Returns every matching record as CSV with a header row, or at most {@code limit} of them. The
   * rows are written as the database cursor yields them.
   */
  @Operation(summary = "Export audit records as CSV")
  @APIResponse(responseCode = "200", description = "Every matching record, streamed as RFC 4180 CSV with a header row")
  @GET
  @Produces(TEXT_CSV + "; qs=0.5")
  @RolesAllowed(Roles.AUDIT_READ)
  public Response csv() {
    AuditFilter filter = filter(parseLimit());
    AuditQuery query;
    try {
      // Opened here, so that a database failure is still a 503 before any byte is sent.
      query = AuditQuery.open(dataSource, filter);
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
    StreamingOutput body = output -> writeCsv(query, output);
    return Response.ok(body, TEXT_CSV + ";charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"audit-events.csv\"")
        .build();
  }

  private static void writeCsv(AuditQuery query, OutputStream output) throws IOException {
    String[] header =
        AuditQuery.COLUMNS.stream().map(AuditQuery.Column::name).toArray(String[]::new);
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader(header).get();
    try (query;
        CSVPrinter printer =
            new CSVPrinter(
                new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8)),
                format)) {
      while (query.hasNext()) {
        printer.printRecord(Arrays.asList(query.next()));
      }
    } catch (SQLException e) {
      // The status is sent already, so the export ends short and the log line gives the cause.
      LOG.log(Level.SEVERE, "Audit CSV export failed part way: " + e);
      throw new IOException("Reading audit records failed", e);
    }
  }

  private AuditFilter filter(Optional<Integer> rowLimit) {
    Caller caller = CallerTokens.callerOf(token);
    return new AuditFilter(
        caller.tenant(),
        text("computer_id", computerId),
        text("api_key", apiKey),
        parseKind(),
        time("from", from),
        time("until", until),
        parseAfter(),
        rowLimit);
  }

  private static Optional<String> text(String name, String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isEmpty() || value.length() > MAX_FILTER_LENGTH) {
      throw invalid(name + " must be 1 to " + MAX_FILTER_LENGTH + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw invalid(name + " contains a control character");
    }
    return Optional.of(value);
  }

  private Optional<AuditKind> parseKind() {
    if (kind == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(AuditKind.valueOf(kind));
    } catch (IllegalArgumentException e) {
      throw invalid("kind '" + kind + "' is unknown; the kinds are " + Arrays.toString(AuditKind.values()));
    }
  }

  private static Optional<Instant> time(String name, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      Instant time = Instant.parse(value);
      if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
        throw invalid(name + " '" + value + "' must be from " + EARLIEST + " to " + LATEST);
      }
      return Optional.of(time);
    } catch (DateTimeParseException e) {
      throw invalid(name + " '" + value + "' is not an ISO-8601 UTC time such as 2026-05-14T19:30:00Z");
    }
  }

  private long parseAfter() {
    if (after == null) {
      return 0;
    }
    try {
      long id = Long.parseLong(after);
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw invalid("after '" + after + "' must be a record id: a whole number, 0 or more");
  }

  private Optional<Integer> parseLimit() {
    if (limit == null) {
      return Optional.empty();
    }
    try {
      int rows = Integer.parseInt(limit);
      if (rows >= 1 && rows <= MAX_LIMIT) {
        return Optional.of(rows);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw invalid("limit '" + limit + "' must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static JsonObjectBuilder toJson(Object[] values) {
    JsonObjectBuilder event = JsonBodies.JSON.createObjectBuilder();
    for (int i = 0; i < values.length; i++) {
      String name = AuditQuery.COLUMNS.get(i).name();
      Object value = values[i];
      if (value == null) {
        continue;
      }
      if (value instanceof Long number) {
        event.add(name, number);
      } else if (value instanceof Boolean flag) {
        event.add(name, flag);
      } else {
        event.add(name, value.toString());
      }
    }
    return event;
  }

  private static GatewayException invalid(String detail) {
    return new GatewayException(Failure.MALFORMED_REQUEST, detail);
  }

  private static GatewayException databaseFailure(SQLException e) {
    LOG.log(Level.SEVERE, "Reading audit records failed: " + e);
    return new GatewayException(Failure.DATABASE_UNAVAILABLE, "Reading audit records failed");
  }
}
