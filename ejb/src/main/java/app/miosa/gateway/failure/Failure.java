package app.miosa.gateway.failure;

/**
 * Every way a request to the gateway can fail, with the HTTP status the REST API and the viewer
 * page return, the WebSocket close code the stream endpoint sends, and the problem {@code title}.
 *
 * <p>The close codes are part of the public contract: 4001 ticket expired, 4003 ticket revoked,
 * 4004 computer not reachable, 4008 input not allowed. Failures that only happen before a stream
 * exists reuse the nearest of them.
 */
public enum Failure {
  MALFORMED_REQUEST(400, 1008, "The request body is not valid"),
  UNAUTHENTICATED(401, 1008, "A bearer token is required"),
  FORBIDDEN(403, 1008, "The API key lacks the role this call requires"),
  TOKEN_CLAIMS_INVALID(403, 1008, "The bearer token lacks a valid 'sub' or 'tenant' claim"),
  COMPUTER_NOT_FOUND(404, 4004, "No such computer"),
  NOT_FOUND(404, 1008, "No such resource"),
  METHOD_NOT_ALLOWED(405, 1008, "This method is not allowed on this resource"),
  NOT_ACCEPTABLE(406, 1008, "The requested media type cannot be produced"),
  COMPUTER_NOT_RUNNING(409, 4004, "The computer is not running"),
  UNSUPPORTED_MEDIA_TYPE(415, 1008, "The request body must be application/json"),
  UPGRADE_REQUIRED(426, 1002, "This address takes WebSocket upgrades only"),

  TICKET_MISSING(401, 1008, "A ticket is required"),
  TICKET_INVALID(401, 1008, "The ticket is not valid"),
  TICKET_EXPIRED(401, 4001, "The ticket has expired"),
  TICKET_REVOKED(403, 4003, "The ticket has been revoked"),
  TICKET_WRONG_COMPUTER(403, 1008, "The ticket is for another computer"),
  TICKET_WRONG_DOMAIN(403, 1008, "The ticket is not valid on this domain"),
  ORIGIN_NOT_ALLOWED(403, 1008, "Only the gateway's own viewer page may open the stream"),

  COMPUTER_UNREACHABLE(502, 4004, "The computer's VNC server cannot be reached"),
  DESKTOP_HANDSHAKE_FAILED(502, 4004, "The computer's VNC server rejected the gateway"),
  DESKTOP_PROTOCOL_ERROR(502, 4004, "The computer's VNC server broke the RFB protocol"),
  NO_AUDIO_SOURCE(404, 4004, "The computer has no audio source"),
  NO_DESKTOP_STREAM(409, 1008, "Open the desktop stream of the ticket before its audio"),
  AUDIO_SOURCE_UNREACHABLE(502, 4004, "The computer's audio source cannot be reached"),
  INPUT_NOT_ALLOWED(403, 4008, "Input is not allowed by the protocol filter"),
  VIEWER_PROTOCOL_ERROR(400, 1002, "The viewer broke the RFB protocol"),
  DATABASE_UNAVAILABLE(503, 1011, "The audit database is unavailable, try again later"),
  INTERNAL(500, 1011, "Internal error");

  private final int httpStatus;
  private final int closeCode;
  private final String title;

  Failure(int httpStatus, int closeCode, String title) {
    this.httpStatus = httpStatus;
    this.closeCode = closeCode;
    this.title = title;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** WebSocket close code sent when this failure ends a stream. */
  public int closeCode() {
    return closeCode;
  }

  /** Problem title: a sentence a person can act on, without request-specific detail. */
  public String title() {
    return title;
  }
}
