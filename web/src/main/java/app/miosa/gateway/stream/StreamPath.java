package app.miosa.gateway.stream;

import app.miosa.gateway.api.ComputerIds;
import java.util.Optional;

/**
 * A path under {@code /computer/}: the viewer page {@code /{cid}} or its WebSocket {@code
 * /{cid}/websockify}.
 *
 * @param computerId the computer the path names
 * @param websocket whether the path is the WebSocket endpoint
 */
record StreamPath(String computerId, boolean websocket) {
  static final String WEBSOCKET_SEGMENT = "websockify";

  /** Parses the servlet path info ({@code /cmp_1} or {@code /cmp_1/websockify}). */
  static Optional<StreamPath> parse(String pathInfo) {
    if (pathInfo == null || !pathInfo.startsWith("/")) {
      return Optional.empty();
    }
    String[] segments = pathInfo.substring(1).split("/", -1);
    if (!ComputerIds.isValid(segments[0])) {
      return Optional.empty();
    }
    if (segments.length == 1) {
      return Optional.of(new StreamPath(segments[0], false));
    }
    if (segments.length == 2 && WEBSOCKET_SEGMENT.equals(segments[1])) {
      return Optional.of(new StreamPath(segments[0], true));
    }
    return Optional.empty();
  }
}
