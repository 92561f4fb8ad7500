package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.ClientMessageFraming.CLIENT_CUT_TEXT_HEADER_LENGTH;
import static app.miosa.gateway.stream.rfb.ClientMessageFraming.EXTENDED_MOUSE_BUTTONS_ENCODING;

import java.nio.ByteBuffer;

/**
 * Splits the bytes that a viewer sends after the RFB handshake into whole client-to-server
 * messages, however the WebSocket cut or joined them. {@link ClientMessageFraming} draws the layout
 * of every message.
 *
 * <p>Each call to {@link #feed} reports to the {@link Listener}, in stream order, every message
 * whose last byte it contains. Bytes of a message that is not yet complete wait in an internal
 * buffer, which grows only to the length of that message. Every length is bounded before anything
 * is allocated: SetEncodings by {@link ClientMessageFraming#MAX_ENCODINGS}, ClientFence by its
 * 64-byte payload limit, SetDesktopSize by its U8 screen count, and ClientCutText by the clipboard
 * limit. A ClientCutText over the clipboard limit is skipped as it arrives, never buffered.
 *
 * <p>The parser stops for good at an unknown message or a {@link RfbProtocolException}, because the
 * start of the next message is then unknown. A read-only stream must close at that point.
 *
 * <p>The framing of INPUT messages cannot let input through a read-only stream, provided the relay
 * forwards only whole CONTROL messages that this parser emitted: the server then receives nothing
 * else. A client that frames its input differently from this parser can only garble its own CONTROL
 * messages.
 *
 * <p>Not thread-safe: one parser serves one stream, whose WebSocket delivers messages one at a
 * time.
 */
public final class ClientMessageParser {
  /** The product's clipboard limit: the largest ClientCutText text, in bytes, passed whole. */
  public static final long DEFAULT_CLIPBOARD_LIMIT = 256 * 1024;

  /** Largest clipboard limit accepted, so that a buffered ClientCutText fits a Java array. */
  public static final long MAX_CLIPBOARD_LIMIT = Integer.MAX_VALUE - 64;

  /** Buffer size for headers and short messages, which covers every fixed-length message. */
  static final int INITIAL_BUFFER_CAPACITY = 64;

  /**
   * A buffer grown past this size for one message is released once that message is emitted, so an
   * idle stream does not hold a large clipboard's worth of memory. SetEncodings and SetDesktopSize
   * at their limits (4,100 and 4,088 bytes) stay below it.
   */
  static final int RETAINED_BUFFER_CAPACITY = 8 * 1024;

  /** Receives what the parser finds, on the thread that calls {@link #feed}. */
  public interface Listener {
    /**
     * Receives a whole message as soon as its last byte is fed. Its bytes are valid only until this
     * method returns.
     */
    void message(ClientMessage message);

    /**
     * Reports a ClientCutText whose text is longer than the clipboard limit, once, when its header
     * is complete. The parser then skips the header and {@code declaredLength} bytes of text
     * without emitting them, and continues with the next message.
     *
     * @param declaredLength text length in bytes that the header declares, up to 2^31
     */
    void oversizedCutText(long declaredLength);

    /**
     * Reports a message that the parser cannot frame. The parser has consumed exactly {@link
     * UnknownMessage#bytes()} from the stream and accepts no further input.
     */
    void unknownMessage(UnknownMessage message);
  }

  private final long clipboardLimit;
  private final Listener listener;
  private final BufferedHeader header = new BufferedHeader();

  private byte[] buffer = new byte[INITIAL_BUFFER_CAPACITY];
  private int buffered;

  /** Type of the message being assembled, or null while its header is incomplete. */
  private ClientMessageType type;

  private long length;
  private long skipRemaining;
  private long skippedBytes;
  private boolean extendedPointerEvents;

  /** Description of what stopped the parser, or null while it runs. */
  private String stopReason;

  /**
   * @param clipboardLimit largest ClientCutText text in bytes that is emitted whole, from 0 to
   *     {@link #MAX_CLIPBOARD_LIMIT}. The product uses {@link #DEFAULT_CLIPBOARD_LIMIT}.
   */
  public ClientMessageParser(long clipboardLimit, Listener listener) {
    if (clipboardLimit < 0 || clipboardLimit > MAX_CLIPBOARD_LIMIT) {
      throw new IllegalArgumentException(
          "Clipboard limit "
              + clipboardLimit
              + " is invalid: it must be between 0 and "
              + MAX_CLIPBOARD_LIMIT
              + " bytes");
    }
    this.clipboardLimit = clipboardLimit;
    this.listener = listener;
  }

  /**
   * Consumes all of {@code input} and reports each message completed by it, unless the parser stops
   * first. After an unknown message, the input's position is just after that message's identifying
   * bytes and the rest is left unread.
   *
   * @throws RfbProtocolException when a length field exceeds its limit. The parser is then stopped.
   * @throws IllegalStateException when the parser has already stopped
   */
  public void feed(ByteBuffer input) throws RfbProtocolException {
    if (stopReason != null) {
      throw new IllegalStateException("The RFB parser stopped after " + stopReason);
    }

    header.input = input;
    try {
      while (input.hasRemaining() && stopReason == null) {
        if (skipRemaining > 0) {
          skip(input);
        } else if (type == null) {
          readHeader(input);
        } else {
          readBody(input);
        }
      }
    } finally {
      header.input = null;
    }
  }

  /** Returns whether the parser stopped at an unknown message or a protocol violation. */
  public boolean isStopped() {
    return stopReason != null;
  }

  /** Returns the bytes of oversized ClientCutText messages, headers included, skipped so far. */
  public long skippedBytes() {
    return skippedBytes;
  }

  /** Returns the current size of the internal buffer, in bytes. */
  public int bufferCapacity() {
    return buffer.length;
  }

  private void readHeader(ByteBuffer input) throws RfbProtocolException {
    int headerLength = ClientMessageFraming.headerLength(header, extendedPointerEvents);
    if (header.available() < headerLength) {
      bufferAll(input);
      return;
    }

    ClientMessageType found = ClientMessageFraming.type(header);
    if (found == null) {
      stopAtUnknown(input, headerLength);
      return;
    }

    try {
      length = ClientMessageFraming.messageLength(found, header, extendedPointerEvents);
    } catch (RfbProtocolException e) {
      stopReason = e.getMessage();
      throw e;
    }
    type = found;

    long textLength = length - CLIENT_CUT_TEXT_HEADER_LENGTH;
    if (type == ClientMessageType.CLIENT_CUT_TEXT && textLength > clipboardLimit) {
      startSkipping(input, textLength);
    }
  }

  private void readBody(ByteBuffer input) {
    int messageLength = (int) length;
    int missing = messageLength - buffered;

    if (buffered == 0 && input.remaining() >= messageLength) {
      // The whole message is in this input, so it is emitted as a view without a copy.
      ByteBuffer bytes = input.slice(input.position(), messageLength);
      input.position(input.position() + messageLength);
      emit(bytes);
    } else if (input.remaining() >= missing) {
      ensureCapacity(messageLength);
      input.get(buffer, buffered, missing);
      emit(ByteBuffer.wrap(buffer, 0, messageLength));
    } else {
      ensureCapacity(messageLength);
      bufferAll(input);
    }
  }

  private void emit(ByteBuffer bytes) {
    ClientMessageType emitted = type;
    type = null;
    buffered = 0;

    if (emitted == ClientMessageType.SET_ENCODINGS) {
      // The latest SetEncodings decides whether PointerEvent may carry the extra mask byte.
      extendedPointerEvents =
          ClientMessageFraming.listsEncoding(bytes, EXTENDED_MOUSE_BUTTONS_ENCODING);
    }
    listener.message(new ClientMessage(emitted, bytes));

    if (buffer.length > RETAINED_BUFFER_CAPACITY) {
      buffer = new byte[INITIAL_BUFFER_CAPACITY];
    }
  }

  private void startSkipping(ByteBuffer input, long textLength) {
    int headerInInput = CLIENT_CUT_TEXT_HEADER_LENGTH - buffered;
    input.position(input.position() + headerInInput);
    type = null;
    buffered = 0;
    skippedBytes += CLIENT_CUT_TEXT_HEADER_LENGTH;
    skipRemaining = textLength;
    listener.oversizedCutText(textLength);
  }

  private void skip(ByteBuffer input) {
    int skipped = (int) Math.min(skipRemaining, input.remaining());
    input.position(input.position() + skipped);
    skipRemaining -= skipped;
    skippedBytes += skipped;
  }

  private void stopAtUnknown(ByteBuffer input, int headerLength) {
    byte[] identifying = new byte[headerLength];
    System.arraycopy(buffer, 0, identifying, 0, buffered);
    input.get(identifying, buffered, headerLength - buffered);
    buffered = 0;

    UnknownMessage unknown = new UnknownMessage(identifying);
    stopReason = unknown.toString();
    listener.unknownMessage(unknown);
  }

  private void bufferAll(ByteBuffer input) {
    int count = input.remaining();
    ensureCapacity(buffered + count);
    input.get(buffer, buffered, count);
    buffered += count;
  }

  /** Grows the buffer to exactly {@code capacity}, which the caller has bounded. */
  private void ensureCapacity(int capacity) {
    if (buffer.length < capacity) {
      byte[] grown = new byte[capacity];
      System.arraycopy(buffer, 0, grown, 0, buffered);
      buffer = grown;
    }
  }

  /** The buffered bytes of the current message followed by the unread input. */
  private final class BufferedHeader implements ClientMessageFraming.Header {
    ByteBuffer input;

    @Override
    public int available() {
      return buffered + input.remaining();
    }

    @Override
    public int u8(int index) {
      if (index < buffered) {
        return buffer[index] & 0xFF;
      }
      return input.get(input.position() + index - buffered) & 0xFF;
    }
  }
}
