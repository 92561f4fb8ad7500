package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.RectangleFraming.HEXTILE;
import static app.miosa.gateway.stream.rfb.RectangleFraming.HEXTILE_TILE_SIZE;
import static app.miosa.gateway.stream.rfb.RectangleFraming.LAST_RECT;
import static app.miosa.gateway.stream.rfb.RectangleFraming.RECTANGLE_HEADER_LENGTH;
import static app.miosa.gateway.stream.rfb.ServerMessageFraming.FRAMEBUFFER_UPDATE;
import static app.miosa.gateway.stream.rfb.ServerMessageFraming.SERVER_CUT_TEXT;
import static app.miosa.gateway.stream.rfb.ServerMessageFraming.SERVER_CUT_TEXT_HEADER_LENGTH;

import app.miosa.gateway.stream.rfb.ServerMessageFraming.Layout;
import java.nio.ByteBuffer;

/**
 * Follows the server-to-client RFB stream after the handshake, message by message, so that the
 * gateway can drop a ServerCutText whose text exceeds the clipboard limit. Every other byte is
 * forwarded unchanged and in order.
 *
 * <p>The stream is cut into framing units, each a short header that is read and a payload that is
 * only counted. {@link ServerMessageFraming} draws the messages, {@link RectangleFraming} the
 * rectangles of a FramebufferUpdate and {@link TightFraming} the Tight rectangles:
 *
 * <pre>
 * message   type:u8 ...header... | payload
 * update    0:u8 pad:1 n:u16 | rectangle 1 | ... | rectangle n (or up to a LastRect)
 * rectangle x,y,w,h:u16 encoding:s32 ...encoding header... | payload
 * Hextile   rectangle header | tile 1 | tile 2 | ... (each tile: mask:u8 ...header... | payload)
 * </pre>
 *
 * <p>Headers wait in a small buffer until they are complete: at most {@link #MAX_HEADER_LENGTH}
 * bytes, the size of a Tight rectangle header with a 256-colour palette of 4-byte pixels. Payloads,
 * such as Raw pixels or clipboard text, are never buffered. Forwarded bytes are views of the input,
 * passed on once per {@link #feed} call, except around a ServerCutText: its header is held back
 * until its length is known, then forwarded, or dropped with its text.
 *
 * <p>The framer stops for good at a {@link RfbProtocolException}, because the start of the next
 * message is then unknown; the gateway then closes the stream. Not thread-safe: one framer serves
 * one stream.
 */
public final class ServerMessageFramer {
  /** Buffer size for headers, which covers every header but a Tight palette. */
  static final int INITIAL_BUFFER_CAPACITY = 64;

  /**
   * Maximum header length: a Tight rectangle header, compression-control, filter-id, palette size,
   * a palette of 256 TPIXELs of 4 bytes and a 3-byte compact length.
   */
  static final int MAX_HEADER_LENGTH =
      RECTANGLE_HEADER_LENGTH + 3 + TightFraming.MAX_PALETTE_COLOURS * 4 + 3;

  /** Receives what the framer passes on, on the thread that calls {@link #feed}. */
  public interface Listener {
    /**
     * Receives the next bytes to pass on to the viewer, which may be any part of a message. The
     * buffer is a view, valid only until this method returns.
     */
    void forward(ByteBuffer bytes);

    /**
     * Reports a ServerCutText whose text is longer than the clipboard limit, once, when its header
     * is complete. None of its bytes, header included, are forwarded.
     *
     * @param declaredLength text length in bytes that the header declares, up to 2^31
     */
    void oversizedCutText(long declaredLength);
  }

  private enum State {
    MESSAGE,
    RECTANGLE,
    HEXTILE_TILE
  }

  private final long clipboardLimit;
  private final Listener listener;
  private final BufferedHeader header = new BufferedHeader();

  private byte[] buffer = new byte[INITIAL_BUFFER_CAPACITY];
  private int buffered;
  private int needed = 1;
  private long payloadRemaining;
  private State state = State.MESSAGE;

  private PixelFormat pixelFormat = PixelFormat.UNSET;
  private int rectanglesRemaining;
  private int tileWidth;
  private int tileHeight;
  private int tilesAcross;
  private int tileCount;
  private int tileIndex;

  /** Input position from which consumed bytes still wait to be forwarded. */
  private int forwardFrom;

  /** Whether consumed bytes belong to a ServerCutText that is held back or dropped. */
  private boolean withholding;

  /** Description of what stopped the framer, or null while it runs. */
  private String stopReason;

  /**
   * @param clipboardLimit largest ServerCutText text in bytes that is forwarded, at least 0
   */
  public ServerMessageFramer(long clipboardLimit, Listener listener) {
    if (clipboardLimit < 0) {
      throw new IllegalArgumentException(
          "Clipboard limit " + clipboardLimit + " is invalid: it must be 0 or more bytes");
    }
    this.clipboardLimit = clipboardLimit;
    this.listener = listener;
  }

  /**
   * Encodings whose rectangles this framer can delimit; the gateway removes all others from the
   * viewer's SetEncodings.
   */
  public static boolean canFrame(int encoding) {
    return RectangleFraming.canFrame(encoding);
  }

  /**
   * The 16-byte PIXEL_FORMAT in effect (from ServerInit bytes 4..19, later from the client's
   * SetPixelFormat bytes 4..19).
   *
   * <p>It applies from the next rectangle header on. An invalid bits-per-pixel is reported as a
   * {@link RfbProtocolException} by the first rectangle that needs the pixel size.
   *
   * @throws IllegalArgumentException when {@code pixelFormat} is not 16 bytes long
   */
  // NOTE: RFB does not mark where the server switches to a new pixel format, so an update that
  // the server encoded before it read the client's SetPixelFormat is framed with the new one.
  public void setPixelFormat(byte[] pixelFormat) {
    this.pixelFormat = PixelFormat.of(pixelFormat);
  }

  /**
   * Consumes bytes from the server; calls listener.forward(...) with the bytes to pass on, in
   * order.
   *
   * <p>Consumes all of {@code input} and forwards its bytes before returning, except the first
   * bytes of a ServerCutText header that is still incomplete: they are held back until its length
   * is known.
   *
   * @throws RfbProtocolException when a message type, encoding or length field is invalid. The
   *     framer is then stopped, and bytes of {@code input} not yet forwarded are dropped.
   * @throws IllegalStateException when the framer has already stopped, or a rectangle arrives
   *     before {@link #setPixelFormat}
   */
  public void feed(ByteBuffer input) throws RfbProtocolException {
    if (stopReason != null) {
      throw new IllegalStateException("The RFB server stream framer stopped after " + stopReason);
    }

    forwardFrom = input.position();
    try {
      while (input.hasRemaining() || buffered >= needed && payloadRemaining == 0) {
        if (payloadRemaining > 0) {
          passPayload(input);
        } else if (buffered < needed) {
          readHeader(input);
        } else {
          step(input);
        }
      }
    } catch (RfbProtocolException e) {
      stopReason = e.getMessage();
      throw e;
    }
    flush(input);
  }

  /** Returns the current size of the internal header buffer, in bytes. */
  int bufferCapacity() {
    return buffer.length;
  }

  private void step(ByteBuffer input) throws RfbProtocolException {
    switch (state) {
      case MESSAGE -> readMessage(input);
      case RECTANGLE -> readRectangle();
      case HEXTILE_TILE -> readHextileTile();
    }
  }

  private void readMessage(ByteBuffer input) throws RfbProtocolException {
    int type = header.u8(0);
    if (type == SERVER_CUT_TEXT && !withholding) {
      holdBackFromTypeByte(input);
    }

    Layout layout = ServerMessageFraming.messageLayout(header);
    if (!hasHeader(layout)) {
      return;
    }

    if (type == SERVER_CUT_TEXT) {
      finishCutTextHeader(input, layout.payloadLength());
    } else if (type == FRAMEBUFFER_UPDATE) {
      rectanglesRemaining = header.u16(2);
      complete(0, rectanglesRemaining == 0 ? State.MESSAGE : State.RECTANGLE);
    } else {
      complete(layout.payloadLength(), State.MESSAGE);
    }
  }

  /** Forwards what precedes the ServerCutText type byte, the last byte consumed. */
  private void holdBackFromTypeByte(ByteBuffer input) {
    int typeByte = input.position() - 1;
    forward(input, typeByte);
    forwardFrom = input.position();
    withholding = true;
  }

  private void finishCutTextHeader(ByteBuffer input, long textLength) {
    if (textLength > clipboardLimit) {
      // Withholding continues through the text and ends in passPayload.
      listener.oversizedCutText(textLength);
      complete(textLength, State.MESSAGE);
      return;
    }

    withholding = false;
    listener.forward(ByteBuffer.wrap(buffer, 0, SERVER_CUT_TEXT_HEADER_LENGTH));
    forwardFrom = input.position();
    complete(textLength, State.MESSAGE);
  }

  private void readRectangle() throws RfbProtocolException {
    Layout layout = RectangleFraming.rectangleLayout(header, pixelFormat);
    if (!hasHeader(layout)) {
      return;
    }

    int encoding = (int) header.u32(8);
    if (encoding == HEXTILE) {
      startHextile();
    } else if (encoding == LAST_RECT) {
      // Viewers end the update at a LastRect whatever count the header announced, so the framer
      // does too.
      rectanglesRemaining = 0;
      complete(0, State.MESSAGE);
    } else {
      complete(layout.payloadLength(), nextAfterRectangle());
    }
  }

  private void startHextile() {
    tileWidth = header.u16(4);
    tileHeight = header.u16(6);
    tilesAcross = ceilDiv(tileWidth, HEXTILE_TILE_SIZE);
    tileCount = tilesAcross * ceilDiv(tileHeight, HEXTILE_TILE_SIZE);
    tileIndex = 0;
    complete(0, tileCount == 0 ? nextAfterRectangle() : State.HEXTILE_TILE);
  }

  private void readHextileTile() throws RfbProtocolException {
    int column = tileIndex % tilesAcross;
    int row = tileIndex / tilesAcross;
    int width = Math.min(HEXTILE_TILE_SIZE, tileWidth - column * HEXTILE_TILE_SIZE);
    int height = Math.min(HEXTILE_TILE_SIZE, tileHeight - row * HEXTILE_TILE_SIZE);

    int bytesPerPixel = pixelFormat.bytesPerPixel();
    Layout layout = RectangleFraming.hextileTileLayout(header, width, height, bytesPerPixel);
    if (!hasHeader(layout)) {
      return;
    }

    tileIndex++;
    complete(
        layout.payloadLength(), tileIndex == tileCount ? nextAfterRectangle() : State.HEXTILE_TILE);
  }

  private State nextAfterRectangle() {
    rectanglesRemaining--;
    return rectanglesRemaining == 0 ? State.MESSAGE : State.RECTANGLE;
  }

  private static int ceilDiv(int dividend, int divisor) {
    return (dividend + divisor - 1) / divisor;
  }

  /** Returns whether the whole header is buffered, else requests the missing bytes. */
  private boolean hasHeader(Layout layout) {
    if (buffered < layout.headerLength()) {
      needed = layout.headerLength();
      return false;
    }
    return true;
  }

  /** Ends the current header: its payload is passed on next, then {@code next} is read. */
  private void complete(long payloadLength, State next) {
    buffered = 0;
    needed = 1;
    payloadRemaining = payloadLength;
    state = next;
  }

  private void readHeader(ByteBuffer input) {
    ensureCapacity(needed);
    int count = Math.min(needed - buffered, input.remaining());
    input.get(buffer, buffered, count);
    buffered += count;
    if (withholding) {
      forwardFrom = input.position();
    }
  }

  private void passPayload(ByteBuffer input) {
    int count = (int) Math.min(payloadRemaining, input.remaining());
    input.position(input.position() + count);
    payloadRemaining -= count;
    if (withholding) {
      forwardFrom = input.position();
      withholding = payloadRemaining > 0;
    }
  }

  private void flush(ByteBuffer input) {
    forward(input, input.position());
  }

  /** Forwards the consumed input from {@link #forwardFrom} up to {@code end}. */
  private void forward(ByteBuffer input, int end) {
    if (end > forwardFrom) {
      listener.forward(input.slice(forwardFrom, end - forwardFrom));
      forwardFrom = end;
    }
  }

  /** Grows the buffer to exactly {@code capacity}, which is at most {@link #MAX_HEADER_LENGTH}. */
  private void ensureCapacity(int capacity) {
    if (buffer.length < capacity) {
      byte[] grown = new byte[capacity];
      System.arraycopy(buffer, 0, grown, 0, buffered);
      buffer = grown;
    }
  }

  /** The buffered bytes of the current header. */
  private final class BufferedHeader implements ClientMessageFraming.Header {
    @Override
    public int available() {
      return buffered;
    }

    @Override
    public int u8(int index) {
      if (index >= buffered) {
        throw new IndexOutOfBoundsException(
            "Header byte " + index + " read while " + buffered + " bytes are buffered");
      }
      return buffer[index] & 0xFF;
    }
  }
}
