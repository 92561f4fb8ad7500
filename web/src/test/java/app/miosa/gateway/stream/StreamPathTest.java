package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPathTest {

  @Test
  void computerIdAloneIsViewerPage() {
    assertEquals(
        Optional.of(new StreamPath("cmp_7f3a", false)), StreamPath.parse("/cmp_7f3a"));
  }

  @Test
  void websockifySegmentIsWebSocket() {
    assertEquals(
        Optional.of(new StreamPath("cmp_7f3a", true)), StreamPath.parse("/cmp_7f3a/websockify"));
  }

  @Test
  void computerIdOf64CharactersIsAccepted() {
    String computerId = "c".repeat(64);

    assertEquals(
        Optional.of(new StreamPath(computerId, false)), StreamPath.parse("/" + computerId));
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
        "/cmp.7f3a",
        "/..",
        "/../cmp_7f3a",
        "/cmp_7f3a;jsessionid=1",
        "/cmp 7f3a",
        "/cmp_\u00e9"
      })
  void pathOutsideBothFormsIsNotStreamPath(String pathInfo) {
    assertEquals(Optional.empty(), StreamPath.parse(pathInfo));
  }

  @Test
  void computerIdOver64CharactersIsNotStreamPath() {
    assertEquals(Optional.empty(), StreamPath.parse("/" + "c".repeat(65)));
  }
}
