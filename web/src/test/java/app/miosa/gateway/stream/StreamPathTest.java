package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPathTest {

  @Test
  void computerIdAloneIsViewerPage() {
    assertEquals(
        Optional.of(new StreamPath("cmp_7f3a", StreamPath.Kind.VIEWER_PAGE)), StreamPath.parse("/cmp_7f3a"));
  }

  @Test
  void websockifySegmentIsWebSocket() {
    assertEquals(
        Optional.of(new StreamPath("cmp_7f3a", StreamPath.Kind.DESKTOP)), StreamPath.parse("/cmp_7f3a/websockify"));
  }

  @Test
  void audioSegmentIsAudioWebSocket() {
    StreamPath path = StreamPath.parse("/cmp_7f3a/audio").orElseThrow();

    assertEquals(new StreamPath("cmp_7f3a", StreamPath.Kind.AUDIO), path);
    assertTrue(path.websocket());
  }

  @Test
  void computerIdOf64CharactersIsAccepted() {
    String computerId = "c".repeat(64);

    assertEquals(
        Optional.of(new StreamPath(computerId, StreamPath.Kind.VIEWER_PAGE)), StreamPath.parse("/" + computerId));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "/",
        "//websockify",
        "cmp_7f3a",
        "cmp_7f3a/websockify",
        "/cmp_7f3a/",
        "/cmp_7f3a/websockify/",
        "/cmp_7f3a//websockify",
        "/cmp_7f3a/websockify/extra",
        "/cmp_7f3a/WEBSOCKIFY",
        "/cmp_7f3a/viewer",
        "/cmp_7f3a/AUDIO",
        "/cmp_7f3a/audio/",
        "/cmp_7f3a/audio/websockify",
        "/cmp.7f3a",
        "/..",
        "/../cmp_7f3a",
        "/cmp_7f3a;jsessionid=1",
        "/cmp 7f3a",
        "/cmp_\u00e9"
      })
  void pathOutsideTheThreeFormsIsNotStreamPath(String pathInfo) {
    assertEquals(Optional.empty(), StreamPath.parse(pathInfo));
  }

  @Test
  void computerIdOver64CharactersIsNotStreamPath() {
    assertEquals(Optional.empty(), StreamPath.parse("/" + "c".repeat(65)));
  }
}
