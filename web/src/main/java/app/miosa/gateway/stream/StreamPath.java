package app.miosa.gateway.stream;

import app.miosa.gateway.api.ComputerIds;
import java.util.Optional;

/**
 * A path under {@code /computer/}: the viewer page {@code /{cid}}, its desktop WebSocket {@code
 * /{cid}/websockify} or its audio WebSocket {@code /{cid}/audio}.
 *
 * @param computerId the computer the path names
 * @param kind what the path serves
 */
record StreamPath(String computerId, Kind kind) {
  static final String WEBSOCKET_SEGMENT = "websockify";
  static final String AUDIO_SEGMENT = "audio";

  /** The resource a stream path serves. */
  enum Kind {
    VIEWER_PAGE("viewer page"),
    DESKTOP("stream"),
    AUDIO("audio stream");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** Returns how log lines name a request for this kind of path. */
    String label() {
      return label;
    }
  }

  /** Returns whether the path takes WebSocket upgrades only. */
  boolean websocket() {
    return kind != Kind.VIEWER_PAGE;
  }

  /**
   * Parses the servlet path info ({@code /cmp_1}, {@code /cmp_1/websockify} or {@code
   * /cmp_1/audio}).
   */
  static Optional<StreamPath> parse(String pathInfo) {
    if (pathInfo == null || !pathInfo.startsWith("/")) {
      return Optional.empty();
    }
    String[] segments = pathInfo.substring(1).split("/", -1);
    if (!ComputerIds.isValid(segments[0])) {
      return Optional.empty();
    }
    if (segments.length == 1) {
      return Optional.of(new StreamPath(segments[0], Kind.VIEWER_PAGE));
    }
    if (segments.length == 2 && WEBSOCKET_SEGMENT.equals(segments[1])) {
      return Optional.of(new StreamPath(segments[0], Kind.DESKTOP));
    }
    if (segments.length == 2 && AUDIO_SEGMENT.equals(segments[1])) {
      return Optional.of(new StreamPath(segments[0], Kind.AUDIO));
    }
    return Optional.empty();
  }
}
