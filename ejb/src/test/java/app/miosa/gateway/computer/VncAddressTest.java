package app.miosa.gateway.computer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VncAddressTest {

  @Test
  void parsesHostNameAndPort() {
    assertEquals(new VncAddress("vnc.internal", 5900), VncAddress.parse("tcp://vnc.internal:5900"));
  }

  @Test
  void parsesIpv4Literal() {
    assertEquals(new VncAddress("10.0.0.5", 5901), VncAddress.parse("tcp://10.0.0.5:5901"));
  }

  @Test
  void parsesIpv6LiteralWithoutBrackets() {
    assertEquals(new VncAddress("::1", 5901), VncAddress.parse("tcp://[::1]:5901"));
  }

  @Test
  void parsesFullIpv6Literal() {
    assertEquals(
        new VncAddress("2001:db8::7", 5900), VncAddress.parse("tcp://[2001:db8::7]:5900"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 65535})
  void acceptsPortAtEitherEndOfRange(int port) {
    assertEquals(port, VncAddress.parse("tcp://localhost:" + port).port());
  }

  @Test
  void webSocketUrlKeepsPathAndPort() {
    VncAddress address = VncAddress.parse("ws://vnc.internal:6901/websockify?token=x");

    assertTrue(address.isWebSocket());
    assertEquals("vnc.internal", address.host());
    assertEquals(6901, address.port());
    assertEquals("/websockify", address.webSocketUrl().getPath());
  }

  @Test
  void secureWebSocketUrlDefaultsToPort443() {
    VncAddress address = VncAddress.parse("wss://kasm.example.com/");

    assertTrue(address.isWebSocket());
    assertEquals(443, address.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws://", "ws://host:0/", "wss://user:pw@host/", "ws://host/#x"})
  void invalidWebSocketUrlIsRejected(String vncUrl) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VncAddress.parse(vncUrl));

    assertFalse(e.getMessage().contains("pw@"), e.getMessage());
    assertTrue(e.getMessage().contains("ws://host"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://vnc.internal:5900",
        "vnc://vnc.internal:5900",
        "tcp://vnc.internal",
        "tcp://vnc.internal:",
        "tcp://vnc.internal:0",
        "tcp://vnc.internal:65536",
        "tcp://vnc.internal:99999999999",
        "tcp://vnc.internal:5900/",
        "tcp://vnc.internal:5900/display/1",
        "tcp://vnc.internal:5900?password=x",
        "tcp://[::1]",
        "tcp:vnc.internal:5900",
        "//vnc.internal:5900",
        "vnc.internal:5900",
        ""
      })
  void nonTcpHostPortUrlIsRejected(String vncUrl) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VncAddress.parse(vncUrl));

    assertTrue(e.getMessage().contains("'" + vncUrl + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("tcp://host:port"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a url", "tcp://vnc internal:5900", "tcp://[::1:5900"})
  void unparsableUrlIsRejected(String vncUrl) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VncAddress.parse(vncUrl));

    assertTrue(e.getMessage().startsWith("'" + vncUrl + "' is not of the form"), e.getMessage());
  }

  @Test
  void userInformationIsRejectedWithoutRepeatingIt() {
    String vncUrl = "tcp://user:hunter2@vnc.internal:5900";

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VncAddress.parse(vncUrl));

    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("tcp://host:port"), e.getMessage());
  }

  @Test
  void fragmentIsRejected() {
    String vncUrl = "tcp://vnc.internal:5900#display";

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VncAddress.parse(vncUrl));

    assertTrue(e.getMessage().contains("'" + vncUrl + "'"), e.getMessage());
  }

  @Test
  void hostNameWithUnderscoreIsAccepted() {
    assertEquals(new VncAddress("vnc_server", 5900), VncAddress.parse("tcp://vnc_server:5900"));
  }
}
