package app.miosa.gateway.api;

import app.miosa.gateway.computer.Computer;
import app.miosa.gateway.computer.ComputerService.Change;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.ComputerState;
import app.miosa.gateway.computer.VncAddress;
import app.miosa.gateway.tenant.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Registers the caller's computers: where their VNC server listens and whether they run. */
@Path("v1/computers/{cid}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ComputerResource {
  static final int MAX_VNC_URL_LENGTH = 512;

  private static final Set<String> FIELDS = Set.of("vnc_url", "audio_url", "state", "vnc_password");

  /** Longest VNC password accepted; VNC authentication itself uses the first 8 characters. */
  static final int MAX_VNC_PASSWORD_LENGTH = 128;

  @Inject JsonWebToken token;
  @EJB ComputerService computers;

  /**
   * Registers or updates a computer. Body: {@code vnc_url} (required, {@code tcp://host:port}),
   * {@code audio_url} ({@code tcp://host:port}), {@code state} ({@code running}, the default, or
   * {@code stopped}) and {@code vnc_password}. For {@code audio_url} and {@code vnc_password} a
   * string sets the value, null removes it, and leaving it out keeps the stored one. The password
   * is stored encrypted and no response ever contains it.
   */
  @Operation(summary = "Register or update a computer")
  @APIResponse(responseCode = "200", description = "200 updated, 201 registered; the body shows the computer without its password")
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.COMPUTERS_MANAGE)
  public Response register(@PathParam("cid") String computerId, InputStream body) {
    Caller caller = CallerTokens.callerOf(token);
    ComputerIds.check(computerId);
    JsonObject json = JsonBodies.readObject(body);
    JsonBodies.rejectUnknownFields(json, FIELDS);

    String vncUrl = JsonBodies.requiredString(json, "vnc_url", MAX_VNC_URL_LENGTH);
    checkVncUrl(vncUrl);
    Optional<String> audioUrl = JsonBodies.optionalString(json, "audio_url", MAX_VNC_URL_LENGTH);
    audioUrl.ifPresent(ComputerResource::checkAudioUrl);
    Change audioChange =
        json.containsKey("audio_url") ? Change.to(audioUrl.orElse(null)) : Change.KEEP;
    ComputerState state = readState(json);
    Optional<String> password =
        JsonBodies.optionalString(json, "vnc_password", MAX_VNC_PASSWORD_LENGTH);
    Change passwordChange =
        json.containsKey("vnc_password") ? Change.to(password.orElse(null)) : Change.KEEP;
    if (password.isPresent() && password.get().isEmpty()) {
      throw JsonBodies.malformed("Field 'vnc_password' is empty; send null to remove it");
    }

    ComputerService.Registration registration =
        computers.register(
            caller.tenant(), computerId, vncUrl, state, audioChange, passwordChange);
    return Response.status(registration.created() ? 201 : 200)
        .entity(toJson(registration.computer()).toString())
        .build();
  }

  /** Returns a computer of the caller's tenant; another tenant's computer is not found. */
  @Operation(summary = "Read a computer")
  @APIResponse(responseCode = "200", description = "The computer; has_vnc_password tells whether a password is stored")
  @GET
  @RolesAllowed(Roles.COMPUTERS_MANAGE)
  public String get(@PathParam("cid") String computerId) {
    Caller caller = CallerTokens.callerOf(token);
    ComputerIds.check(computerId);
    return toJson(computers.get(caller.tenant(), computerId)).toString();
  }

  private static void checkVncUrl(String vncUrl) {
    try {
      VncAddress.parse(vncUrl);
    } catch (IllegalArgumentException e) {
      throw JsonBodies.malformed("Field 'vnc_url' is invalid: " + e.getMessage());
    }
  }

  private static void checkAudioUrl(String audioUrl) {
    boolean tcp;
    try {
      tcp = !VncAddress.parse(audioUrl).isWebSocket();
    } catch (IllegalArgumentException e) {
      tcp = false;
    }
    if (!tcp) {
      String quoted = audioUrl.contains("@") ? "a URL with user information" : "'" + audioUrl + "'";
      throw JsonBodies.malformed(
          "Field 'audio_url' must be of the form tcp://host:port with a port from 1 to 65535, not "
              + quoted);
    }
  }

  private static ComputerState readState(JsonObject json) {
    String name =
        JsonBodies.optionalString(json, "state", 16).orElse(ComputerState.RUNNING.apiName());
    return ComputerState.fromApiName(name)
        .orElseThrow(
            () ->
                JsonBodies.malformed(
                    "Field 'state' must be 'running' or 'stopped', not '" + name + "'"));
  }

  private static JsonObject toJson(Computer computer) {
    JsonObjectBuilder json =
        JsonBodies.JSON.createObjectBuilder()
            .add("computer_id", computer.getComputerId())
            .add("vnc_url", computer.getVncUrl());
    computer
        .getAudioUrl()
        .ifPresentOrElse(url -> json.add("audio_url", url), () -> json.addNull("audio_url"));
    return json
        .add("state", computer.getState().apiName())
        .add("has_vnc_password", computer.hasVncPassword())
        .add("created_at", computer.getCreatedAt().toString())
        .add("updated_at", computer.getUpdatedAt().toString())
        .build();
  }
}
