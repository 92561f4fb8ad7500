package app.miosa.gateway.api;

import app.miosa.gateway.audit.AuditEvent;
import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.operations.GatewayMetrics;
import app.miosa.gateway.stream.GatewayCluster;
import app.miosa.gateway.stream.LiveStreams;
import app.miosa.gateway.tenant.Caller;
import app.miosa.gateway.tenant.Tenant;
import app.miosa.gateway.ticket.IssuedTicket;
import app.miosa.gateway.ticket.TicketRequest;
import app.miosa.gateway.ticket.TicketService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Mints terminal tickets: signed, short-lived URLs that open one computer's stream. */
@Path("v1/computers/{cid}/terminal-tickets")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TerminalTicketResource {
  private static final Set<String> FIELDS =
      Set.of("read_only", "ttl_seconds", "audio", "attribution");

  @Inject JsonWebToken token;
  @Inject GatewaySettings settings;
  @EJB TicketService tickets;
  @Context HttpServletRequest servletRequest;
  @Inject LiveStreams liveStreams;
  @Inject GatewayCluster cluster;
  @Inject GatewayMetrics metrics;

  /**
   * Issues a ticket. Body, every field optional: {@code read_only} (default false), {@code
   * ttl_seconds}, {@code audio} (default false; true adds {@code audio=1} to the URL, which turns
   * the viewer's sound on), {@code attribution} (at most 256 characters).
   */
  @Operation(summary = "Mint a terminal ticket")
  @APIResponse(responseCode = "201", description = "201 with token, url, expires_at and read_only")
  @POST
  @RolesAllowed(Roles.TICKETS_ISSUE)
  public Response issue(@PathParam("cid") String computerId, InputStream body) {
    Caller caller = CallerTokens.callerOf(token);
    ComputerIds.check(computerId);
    TicketRequest request = readRequest(JsonBodies.readObject(body));

    IssuedTicket ticket = tickets.issue(caller, computerId, request);
    String url =
        viewerUrl(
            settings.tenant(caller.tenant()), computerId, ticket.token(), ticket.claims().audio());
    metrics.ticketIssued(ticket.claims().readOnly());

    JsonObject response =
        JsonBodies.JSON.createObjectBuilder()
            .add("token", ticket.token())
            .add("url", url)
            .add("expires_at", ticket.claims().expiresAt().toString())
            .add("read_only", ticket.claims().readOnly())
            .build();
    // The body carries a bearer secret, so no cache may keep it.
    return Response.status(Response.Status.CREATED)
        .header("Cache-Control", "no-store")
        .entity(response.toString())
        .build();
  }

  /**
   * Revokes every ticket of the computer issued so far and closes the streams opened with them
   * (close code 4003). Tickets minted afterwards work.
   */
  @Operation(summary = "Revoke every ticket of a computer")
  @APIResponse(responseCode = "200", description = "The computer id and how many live streams were closed")
  @DELETE
  @RolesAllowed(Roles.TICKETS_REVOKE)
  public String revoke(@PathParam("cid") String computerId) {
    Caller caller = CallerTokens.callerOf(token);
    ComputerIds.check(computerId);

    // The audit record, written with the revocation, counts the streams open now: every one of
    // them was opened with a ticket the revocation invalidates.
    int open = liveStreams.countOpen(caller.tenant(), computerId);
    long generation = tickets.revokeAll(caller, computerId, open);
    int closed = liveStreams.closeRevoked(caller.tenant(), computerId, generation);
    cluster.publish(caller.tenant(), computerId, generation);
    metrics.revoked();

    return JsonBodies.JSON.createObjectBuilder()
        .add("computer_id", computerId)
        .add("streams_closed", closed)
        .build()
        .toString();
  }

  private static TicketRequest readRequest(JsonObject json) {
    JsonBodies.rejectUnknownFields(json, FIELDS);
    return new TicketRequest(
        JsonBodies.optionalBoolean(json, "read_only").orElse(false),
        JsonBodies.optionalWholeNumber(json, "ttl_seconds").map(Duration::ofSeconds),
        JsonBodies.optionalBoolean(json, "audio").orElse(false),
        JsonBodies.optionalString(json, "attribution", AuditEvent.MAX_ATTRIBUTION_LENGTH)
            .orElse(null));
  }

  /**
   * Returns the viewer URL on the tenant's stream URL, else on the public URL. Without either it
   * uses the address and port this request arrived on, never a client's {@code Host} header. The
   * URL of a ticket for audio carries {@code audio=1}, which turns the viewer's sound on.
   */
  private String viewerUrl(Tenant tenant, String computerId, String ticketToken, boolean audio) {
    String base =
        settings
            .tenants()
            .streamUrl(tenant)
            .map(URI::toString)
            .orElseGet(this::localBaseUrl);
    return base + "/computer/" + computerId + "?ticket=" + ticketToken + (audio ? "&audio=1" : "");
  }

  private String localBaseUrl() {
    // An IPv6 address may carry a zone such as %eth0, which a URL cannot.
    String address = servletRequest.getLocalAddr().replaceFirst("%.*$", "");
    String host = address.contains(":") ? "[" + address + "]" : address;
    return servletRequest.getScheme()
        + "://"
        + host
        + ":"
        + servletRequest.getLocalPort()
        + servletRequest.getContextPath();
  }
}
