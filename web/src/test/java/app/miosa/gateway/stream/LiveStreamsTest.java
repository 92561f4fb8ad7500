package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

class LiveStreamsTest {
  private final LiveStreams streams = new LiveStreams();

  @Test
  void revocationCountsDesktopStreamsOnly() {
    ClosingRelay desktop = add("t1", 0, false);
    ClosingRelay audio = add("t1", 0, true);
    ClosingRelay newer = add("t2", 1, false);

    int closed = streams.closeRevoked("acme", "cmp_1", 1);

    assertEquals(1, closed);
    assertEquals(4003, desktop.closeCode);
    assertEquals(4003, audio.closeCode);
    assertNull(newer.closeCode);
  }

  @Test
  void audioIsCountedApartFromDesktopStreams() {
    add("t1", 0, false);
    add("t1", 0, true);
    add("t2", 0, true);

    assertEquals(1, streams.countAll(false));
    assertEquals(2, streams.countAudio());
    assertEquals(1, streams.countOpen("acme", "cmp_1"));
  }

  @Test
  void audioClosesWithLastDesktopStream() {
    ClosingRelay first = add("t1", 0, false);
    ClosingRelay second = add("t1", 0, false);
    ClosingRelay audio = add("t1", 0, true);
    ClosingRelay otherTicket = add("t2", 0, true);

    first.closeCode = 1001;
    streams.closeAudioWithoutDesktop("acme", "cmp_1", "t1", 1001, "viewer left");
    assertNull(audio.closeCode, "audio while a desktop stream of its ticket is open");

    second.closeCode = 4001;
    streams.closeAudioWithoutDesktop("acme", "cmp_1", "t1", 4001, "ticket expired");
    assertEquals(4001, audio.closeCode, "audio takes the gateway's close code");
    assertNull(otherTicket.closeCode);
  }

  @Test
  void audioClosesNormallyWhenTheViewerLeft() {
    ClosingRelay audio = add("t1", 0, true);

    streams.closeAudioWithoutDesktop("acme", "cmp_1", "t1", 1006, "connection lost");

    assertEquals(1000, audio.closeCode);
  }

  @Test
  void revocationClosesAudioBeforeItsDesktopStream() {
    java.util.List<String> order = new java.util.ArrayList<>();
    ClosingRelay desktop = add("t1", 0, false);
    ClosingRelay audio = add("t1", 0, true);
    desktop.onClose = () -> order.add("desktop");
    audio.onClose = () -> order.add("audio");

    streams.closeRevoked("acme", "cmp_1", 1);

    assertEquals(java.util.List.of("audio", "desktop"), order);
  }

  @Test
  void desktopOpenFindsOnlyItsTicket() {
    add("t1", 0, false);
    add("t2", 0, true);

    assertEquals(true, streams.desktopOpen("acme", "cmp_1", "t1"));
    assertEquals(false, streams.desktopOpen("acme", "cmp_1", "t2"));
    assertEquals(false, streams.desktopOpen("acme", "cmp_2", "t1"));
  }

  private ClosingRelay add(String ticketId, long generation, boolean audio) {
    ClosingRelay relay = new ClosingRelay();
    streams.add(
        "acme", "cmp_1", new LiveStreams.LiveStream(ticketId, generation, false, audio, relay));
    return relay;
  }

  /** Records the close code it is closed with. */
  private static final class ClosingRelay implements Relay {
    Integer closeCode;
    Runnable onClose = () -> {};

    @Override
    public void close(CloseReason reason, String detail) {
      if (closeCode == null) {
        closeCode = reason.getCloseCode().getCode();
        onClose.run();
      }
    }

    @Override
    public boolean isClosed() {
      return closeCode != null;
    }
  }
}
