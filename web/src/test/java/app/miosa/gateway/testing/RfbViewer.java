package app.miosa.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A minimal RFB viewer over the gateway's WebSocket: it performs the viewer's side of the
 * handshake and sends input and update requests as byte arrays laid out by RFC 6143.
 */
public final class RfbViewer {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final StreamProbe stream;
  private int consumed;

  private RfbViewer(StreamProbe stream) {
    this.stream = stream;
  }

  /** Opens the WebSocket and completes the handshake with the given ClientInit shared flag. */
  public static RfbViewer connect(HttpClient http, URI websocketUrl, boolean shared)
      throws Exception {
    RfbViewer viewer = new RfbViewer(StreamProbe.open(http, websocketUrl).get());
    viewer.handshake(shared);
    return viewer;
  }

  public StreamProbe stream() {
    return stream;
  }

  /** Returns every byte received so far, handshake included. */
  public byte[] received() throws InterruptedException {
    return stream.awaitBytes(0, Duration.ZERO);
  }

  /** Width and height from ServerInit. */
  public int[] desktopSize() {
    return desktopSize;
  }

  private int[] desktopSize;

  private void handshake(boolean shared) throws Exception {
    expect(12); // ProtocolVersion "RFB 003.008\n" from the gateway
    stream.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
    byte[] types = expect(2); // u8 count, u8 type
    if (types[0] != 1 || types[1] != 1) {
      throw new AssertionError("Expected one security type, None; got " + Arrays.toString(types));
    }
    stream.send(new byte[] {1}); // choose None
    byte[] result = expect(4); // SecurityResult u32, 0 = OK
    if (!Arrays.equals(result, new byte[4])) {
      throw new AssertionError("SecurityResult " + Arrays.toString(result));
    }
    stream.send(new byte[] {(byte) (shared ? 1 : 0)}); // ClientInit: shared flag

    byte[] header = expect(24); // ServerInit: u16 w, u16 h, 16 pixel format, u32 name length
    desktopSize = new int[] {u16(header, 0), u16(header, 2)};
    long nameLength = ((header[20] & 0xFFL) << 24) | ((header[21] & 0xFF) << 16)
        | ((header[22] & 0xFF) << 8) | (header[23] & 0xFF);
    expect((int) nameLength);
  }

  /** KeyEvent: u8 type 4, u8 down, 2 padding, u32 keysym. */
  public void key(int keysym, boolean down) {
    stream.send(new byte[] {
      4, (byte) (down ? 1 : 0), 0, 0,
      (byte) (keysym >>> 24), (byte) (keysym >>> 16), (byte) (keysym >>> 8), (byte) keysym
    });
  }

  /** Presses and releases the keys of ASCII text, whose keysyms equal their codes. */
  public void type(String text) {
    for (char c : text.toCharArray()) {
      int keysym = c == '\n' ? 0xFF0D : c; // Return
      key(keysym, true);
      key(keysym, false);
    }
  }

  /** PointerEvent: u8 type 5, u8 button mask, u16 x, u16 y. */
  public void pointer(int x, int y, int buttons) {
    stream.send(new byte[] {
      5, (byte) buttons, (byte) (x >>> 8), (byte) x, (byte) (y >>> 8), (byte) y
    });
  }

  /** FramebufferUpdateRequest of the whole desktop: type 3, incremental, x, y, width, height. */
  public void requestUpdate(boolean incremental) {
    int width = desktopSize[0];
    int height = desktopSize[1];
    stream.send(new byte[] {
      3, (byte) (incremental ? 1 : 0), 0, 0, 0, 0,
      (byte) (width >>> 8), (byte) width, (byte) (height >>> 8), (byte) height
    });
  }

  /** Waits until {@code count} more bytes have arrived and returns them. */
  public byte[] expect(int count) throws InterruptedException {
    byte[] all = stream.awaitBytes(consumed + count, TIMEOUT);
    if (all.length < consumed + count) {
      throw new AssertionError(
          "Expected " + count + " more bytes from the gateway, got " + (all.length - consumed));
    }
    byte[] next = Arrays.copyOfRange(all, consumed, consumed + count);
    consumed += count;
    return next;
  }

  private static int u16(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
  }
}
