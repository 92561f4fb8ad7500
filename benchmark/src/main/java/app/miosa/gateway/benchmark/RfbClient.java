package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The viewer side of RFB 3.8 (RFC 6143) over a {@link Transport}: the handshake with security
 * type None, SetEncodings with Raw only, FramebufferUpdateRequest, and reading whole
 * FramebufferUpdate messages of Raw rectangles. Pixel data is read into a scratch buffer and
 * dropped, except the first 8 bytes of each update, which the paced fake server fills with its
 * send time.
 */
final class RfbClient implements AutoCloseable {
  private static final byte[] VERSION_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
  private static final int SECURITY_NONE = 1;
  private static final int ENCODING_RAW = 0;

  private final Transport transport;
  private final byte[] scratch = new byte[TcpTransport.READ_BUFFER_BYTES];
  private final byte[] small = new byte[16];
  private int width;
  private int height;
  private int bytesPerPixel;

  /** Bytes of FramebufferUpdate messages read so far; written by the reading thread only. */
  private volatile long updateBytes;

  /** The first 8 pixel bytes of the last update, big-endian, or -1 if it carried fewer. */
  private long lastStamp;

  private RfbClient(Transport transport) {
    this.transport = transport;
  }

  /**
   * Runs the viewer's handshake on {@code transport}: ProtocolVersion 3.8, security None,
   * SecurityResult, ClientInit with the shared flag set, ServerInit. Closes the transport when it
   * fails.
   */
  static RfbClient handshake(Transport transport) throws IOException {
    RfbClient client = new RfbClient(transport);
    try {
      client.runHandshake();
      return client;
    } catch (IOException | RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  long updateBytes() {
    return updateBytes;
  }

  long lastStamp() {
    return lastStamp;
  }

  /** Sends SetEncodings with Raw as the only encoding. */
  void setEncodingsRaw() throws IOException {
    transport.write(
        new byte[] {
          2, 0, // message-type SetEncodings, padding
          0, 1, // number-of-encodings
          0, 0, 0, ENCODING_RAW
        });
  }

  /** Sends a FramebufferUpdateRequest for the rectangle at (x, y) of the given size. */
  void requestUpdate(boolean incremental, int x, int y, int w, int h) throws IOException {
    transport.write(
        new byte[] {
          3, (byte) (incremental ? 1 : 0), // message-type, incremental
          (byte) (x >>> 8), (byte) x,
          (byte) (y >>> 8), (byte) y,
          (byte) (w >>> 8), (byte) w,
          (byte) (h >>> 8), (byte) h
        });
  }

  /** Requests the whole framebuffer. */
  void requestFullUpdate(boolean incremental) throws IOException {
    requestUpdate(incremental, 0, 0, width, height);
  }

  /**
   * Reads server messages up to and including the next FramebufferUpdate, and returns the
   * update's length in bytes. Bell, SetColourMapEntries and ServerCutText before it are skipped.
   */
  long readUpdate() throws IOException {
    while (true) {
      transport.readFully(small, 0, 1);
      int type = small[0] & 0xFF;
      switch (type) {
        case 0 -> {
          return readUpdateBody();
        }
        case 1 -> { // SetColourMapEntries: padding, u16 first-colour, u16 number, 6 bytes each
          transport.readFully(small, 0, 5);
          skip(6L * u16(small, 3));
        }
        case 2 -> {} // Bell: the type alone
        case 3 -> { // ServerCutText: 3 padding bytes, u32 length, text
          transport.readFully(small, 0, 7);
          skip(u32(small, 3));
        }
        default -> throw new ProtocolException("Unexpected server message type " + type);
      }
    }
  }

  @Override
  public void close() {
    transport.close();
  }

  private void runHandshake() throws IOException {
    byte[] version = new byte[12];
    transport.readFully(version, 0, version.length);
    if (!new String(version, StandardCharsets.US_ASCII).startsWith("RFB 003.")) {
      throw new ProtocolException("Not an RFB server: " + Arrays.toString(version));
    }
    transport.write(VERSION_3_8);

    transport.readFully(small, 0, 1);
    int count = small[0] & 0xFF;
    if (count == 0) {
      throw new ProtocolException("The server offered no security type: " + failureReason());
    }
    byte[] types = new byte[count];
    transport.readFully(types, 0, count);
    boolean none = false;
    for (byte type : types) {
      none |= type == SECURITY_NONE;
    }
    if (!none) {
      throw new ProtocolException("The server does not offer security None: "
          + Arrays.toString(types));
    }
    transport.write(new byte[] {SECURITY_NONE});

    transport.readFully(small, 0, 4);
    if (u32(small, 0) != 0) {
      throw new ProtocolException("SecurityResult failed: " + failureReason());
    }
    transport.write(new byte[] {1}); // ClientInit: shared

    byte[] serverInit = new byte[24];
    transport.readFully(serverInit, 0, serverInit.length);
    width = u16(serverInit, 0);
    height = u16(serverInit, 2);
    bytesPerPixel = (serverInit[4] & 0xFF) / 8;
    skip(u32(serverInit, 20)); // name-string
  }

  private String failureReason() throws IOException {
    transport.readFully(small, 0, 4);
    byte[] reason = new byte[(int) Math.min(u32(small, 0), 4096)];
    transport.readFully(reason, 0, reason.length);
    return new String(reason, StandardCharsets.UTF_8);
  }

  /** Reads a FramebufferUpdate after its type byte. */
  private long readUpdateBody() throws IOException {
    transport.readFully(small, 0, 3); // padding, u16 number-of-rectangles
    int rectangles = u16(small, 1);
    long total = 4;
    updateBytes += 4;
    lastStamp = -1;
    for (int i = 0; i < rectangles; i++) {
      transport.readFully(small, 0, 12); // x, y, w, h, s32 encoding
      int encoding = (int) u32(small, 8);
      if (encoding != ENCODING_RAW) {
        throw new ProtocolException("Rectangle with encoding " + encoding + " instead of Raw");
      }
      long pixels = (long) u16(small, 4) * u16(small, 6) * bytesPerPixel;
      updateBytes += 12;
      if (i == 0 && pixels >= 8) {
        transport.readFully(small, 0, 8);
        lastStamp = u64(small, 0);
        updateBytes += 8;
        readPixels(pixels - 8);
      } else {
        readPixels(pixels);
      }
      total += 12 + pixels;
    }
    return total;
  }

  /** Reads and drops {@code length} pixel bytes, counting them as they arrive. */
  private void readPixels(long length) throws IOException {
    while (length > 0) {
      int chunk = (int) Math.min(length, scratch.length);
      transport.readFully(scratch, 0, chunk);
      length -= chunk;
      updateBytes += chunk;
    }
  }

  /** Reads and drops {@code length} bytes. */
  private void skip(long length) throws IOException {
    while (length > 0) {
      int chunk = (int) Math.min(length, scratch.length);
      transport.readFully(scratch, 0, chunk);
      length -= chunk;
    }
  }

  private static int u16(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
  }

  private static long u32(byte[] bytes, int offset) {
    return ((long) u16(bytes, offset) << 16) | u16(bytes, offset + 2);
  }

  private static long u64(byte[] bytes, int offset) {
    return (u32(bytes, offset) << 32) | u32(bytes, offset + 4);
  }
}
