package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.Wire.bytes;
import static app.miosa.gateway.stream.rfb.Wire.chunk;
import static app.miosa.gateway.stream.rfb.Wire.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.stream.rfb.RecordingListener.Message;
import app.miosa.gateway.stream.rfb.RecordingListener.Oversized;
import app.miosa.gateway.stream.rfb.RecordingListener.Unknown;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientMessageParserTest {
  private final RecordingListener listener = new RecordingListener();
  private final ClientMessageParser parser =
      new ClientMessageParser(ClientMessageParser.DEFAULT_CLIPBOARD_LIMIT, listener);

  private static final byte[] CUT_TEXT_ABC =
      bytes(
          6, // message-type ClientCutText
          0, 0, 0, // padding
          0x00, 0x00, 0x00, 0x03, // length 3
          0x61, 0x62, 0x63); // text "abc"

  @Test
  void keyEventSplitThreeThenFive() throws Exception {
    byte[] key = Samples.KEY_EVENT;

    parser.feed(chunk(key, 0, 3));
    assertEquals(List.of(), listener.events);

    parser.feed(chunk(key, 3, 5));
    assertEquals(List.of(Message.of(ClientMessageType.KEY_EVENT, key)), listener.events);
  }

  @Test
  void twoPointerEventsInOneChunk() throws Exception {
    byte[] second =
        bytes(
            5, // message-type PointerEvent
            0x00, // button-mask: all up
            0x01, 0x01, // x-position 257
            0x00, 0x81); // y-position 129

    parser.feed(ByteBuffer.wrap(concat(Samples.POINTER_EVENT, second)));

    assertEquals(
        List.of(
            Message.of(ClientMessageType.POINTER_EVENT, Samples.POINTER_EVENT),
            Message.of(ClientMessageType.POINTER_EVENT, second)),
        listener.events);
  }

  @Test
  void cutTextThenSplitKeyEvent() throws Exception {
    byte[] stream = concat(CUT_TEXT_ABC, Samples.KEY_EVENT);
    ByteBuffer first = chunk(stream, 0, CUT_TEXT_ABC.length + 7);

    parser.feed(first);
    assertFalse(first.hasRemaining());
    assertEquals(
        List.of(Message.of(ClientMessageType.CLIENT_CUT_TEXT, CUT_TEXT_ABC)), listener.events);

    ByteBuffer last = chunk(stream, stream.length - 1, 1);
    parser.feed(last);
    assertFalse(last.hasRemaining());
    assertEquals(
        List.of(
            Message.of(ClientMessageType.CLIENT_CUT_TEXT, CUT_TEXT_ABC),
            Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT)),
        listener.events);
  }

  @Test
  void setDesktopSizeIsInput() throws Exception {
    parser.feed(ByteBuffer.wrap(Samples.SET_DESKTOP_SIZE_1920_1080));

    Message message = (Message) listener.events.get(0);
    assertEquals(ClientMessageType.SET_DESKTOP_SIZE, message.type());
    assertEquals(MessageCategory.INPUT, message.category());
    assertEquals(24, Samples.SET_DESKTOP_SIZE_1920_1080.length);
    assertEquals(1, listener.events.size());
  }

  @Test
  void setDesktopSizeWithMaxScreens() throws Exception {
    int screens = ClientMessageFraming.MAX_SCREENS;
    byte[] message =
        concat(
            bytes(
                251, // message-type SetDesktopSize
                0, // padding
                0x07, 0x80, // width 1920
                0x04, 0x38, // height 1080
                screens, // number-of-screens 255
                0), // padding
            new byte[16 * screens]); // screens, all zero

    parser.feed(ByteBuffer.wrap(message));

    assertEquals(List.of(Message.of(ClientMessageType.SET_DESKTOP_SIZE, message)), listener.events);
    assertEquals(4088, message.length);
  }

  @Test
  void messageBytesAreReadOnly() throws Exception {
    ClientMessage[] received = new ClientMessage[1];
    ClientMessageParser capturing =
        new ClientMessageParser(0, new ForwardingListener(m -> received[0] = m));

    capturing.feed(ByteBuffer.wrap(Samples.KEY_EVENT.clone()));

    assertTrue(received[0].bytes().isReadOnly());
    assertEquals(8, received[0].length());
  }

  @Test
  void cutTextAtLimitIsEmittedWhole() throws Exception {
    ClientMessageParser limited = new ClientMessageParser(3, listener);

    limited.feed(ByteBuffer.wrap(CUT_TEXT_ABC));

    assertEquals(
        List.of(Message.of(ClientMessageType.CLIENT_CUT_TEXT, CUT_TEXT_ABC)), listener.events);
    assertEquals(0, limited.skippedBytes());
  }

  @Test
  void cutTextOverLimitIsSkipped() throws Exception {
    ClientMessageParser limited = new ClientMessageParser(2, listener);

    limited.feed(ByteBuffer.wrap(concat(CUT_TEXT_ABC, Samples.KEY_EVENT)));

    assertEquals(
        List.of(new Oversized(3), Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT)),
        listener.events);
    assertEquals(CUT_TEXT_ABC.length, limited.skippedBytes());
  }

  @Test
  void cutTextOverLimitSkippedByteByByte() throws Exception {
    ClientMessageParser limited = new ClientMessageParser(2, listener);
    byte[] stream = concat(CUT_TEXT_ABC, Samples.KEY_EVENT);

    for (int i = 0; i < stream.length; i++) {
      limited.feed(chunk(stream, i, 1));
      boolean headerComplete = i >= 7;
      assertEquals(headerComplete, listener.events.contains(new Oversized(3)), "after byte " + i);
    }

    assertEquals(
        List.of(new Oversized(3), Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT)),
        listener.events);
  }

  /**
   * Under the Extended Clipboard rule the top bit marks a negative S32, so 0xFFFFFFFF declares a
   * 1-byte payload, not 4 GiB.
   */
  @Test
  void cutTextLengthAllOnesIsOneByte() throws Exception {
    byte[] cutText =
        bytes(
            6, // message-type ClientCutText
            0, 0, 0, // padding
            0xFF, 0xFF, 0xFF, 0xFF, // length -1: 1 byte of extended clipboard payload
            0x00); // payload

    parser.feed(chunk(cutText, 0, 8));
    assertEquals(List.of(), listener.events);
    assertEquals(ClientMessageParser.INITIAL_BUFFER_CAPACITY, parser.bufferCapacity());

    parser.feed(chunk(cutText, 8, 1));
    assertEquals(List.of(Message.of(ClientMessageType.CLIENT_CUT_TEXT, cutText)), listener.events);
  }

  @Test
  void cutTextLengthTwoGibAllocatesNothing() throws Exception {
    byte[] header =
        bytes(
            6, // message-type ClientCutText
            0, 0, 0, // padding
            0x80, 0x00, 0x00, 0x00); // length -2^31: the largest extended clipboard payload

    parser.feed(ByteBuffer.wrap(header));

    assertEquals(List.of(new Oversized(1L << 31)), listener.events);
    assertEquals(ClientMessageParser.INITIAL_BUFFER_CAPACITY, parser.bufferCapacity());
    assertEquals(8, parser.skippedBytes());
  }

  @Test
  void cutTextLargestLegacyLengthAllocatesNothing() throws Exception {
    byte[] header =
        bytes(
            6, // message-type ClientCutText
            0, 0, 0, // padding
            0x7F, 0xFF, 0xFF, 0xFF); // length 2^31 - 1, the largest without the top bit

    parser.feed(ByteBuffer.wrap(header));

    assertEquals(List.of(new Oversized((1L << 31) - 1)), listener.events);
    assertEquals(ClientMessageParser.INITIAL_BUFFER_CAPACITY, parser.bufferCapacity());
  }

  @Test
  void eightyMibCutTextIsSkipped() throws Exception {
    long textLength = 80L * 1024 * 1024;
    byte[] header =
        bytes(
            6, // message-type ClientCutText
            0, 0, 0, // padding
            0x05, 0x00, 0x00, 0x00); // length 80 MiB
    long streamLength = header.length + textLength + Samples.KEY_EVENT.length;
    byte[] chunk = new byte[64 * 1024];

    for (long offset = 0; offset < streamLength; offset += chunk.length) {
      int length = (int) Math.min(chunk.length, streamLength - offset);
      for (int i = 0; i < length; i++) {
        chunk[i] = byteAt(offset + i, header, textLength);
      }
      parser.feed(ByteBuffer.wrap(chunk, 0, length));
      assertTrue(
          parser.bufferCapacity() <= ClientMessageParser.INITIAL_BUFFER_CAPACITY,
          "buffer grew to " + parser.bufferCapacity() + " bytes at offset " + offset);
    }

    assertEquals(
        List.of(
            new Oversized(textLength), Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT)),
        listener.events);
    assertEquals(header.length + textLength, parser.skippedBytes());
  }

  /** Returns the byte at {@code offset} of a ClientCutText of x's followed by a KeyEvent. */
  private static byte byteAt(long offset, byte[] header, long textLength) {
    if (offset < header.length) {
      return header[(int) offset];
    }
    long keyOffset = offset - header.length - textLength;
    return keyOffset < 0 ? (byte) 'x' : Samples.KEY_EVENT[(int) keyOffset];
  }

  @Test
  void bufferGrowsOnlyToMessageLength() throws Exception {
    int textLength = 20_000;
    byte[] cutText = concat(cutTextHeader(textLength), new byte[textLength]);

    parser.feed(chunk(cutText, 0, 100));
    assertEquals(cutText.length, parser.bufferCapacity());

    parser.feed(chunk(cutText, 100, cutText.length - 100));
    assertEquals(ClientMessageParser.INITIAL_BUFFER_CAPACITY, parser.bufferCapacity());
    assertEquals(1, listener.events.size());
  }

  private static byte[] cutTextHeader(int textLength) {
    return concat(
        bytes(6, 0, 0, 0), // message-type ClientCutText, padding
        ByteBuffer.allocate(4).putInt(textLength).array()); // length
  }

  @Test
  void unknownTypeStopsParser() throws Exception {
    ByteBuffer input =
        ByteBuffer.wrap(
            concat(
                Samples.KEY_EVENT,
                bytes(7), // message-type 7: FileTransfer, whose layout rfbproto.rst does not define
                Samples.KEY_EVENT));

    parser.feed(input);

    assertEquals(
        List.of(
            Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT),
            new Unknown("unknown client message type 7", "07")),
        listener.events);
    assertTrue(parser.isStopped());
    assertEquals(Samples.KEY_EVENT.length + 1, input.position());
  }

  @Test
  void feedAfterStopIsRejected() throws Exception {
    parser.feed(ByteBuffer.wrap(bytes(7))); // message-type 7, unknown

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> parser.feed(ByteBuffer.wrap(Samples.KEY_EVENT)));
    assertTrue(e.getMessage().contains("unknown client message type 7"), e.getMessage());
  }

  @Test
  void giiIsUnknown() throws Exception {
    parser.feed(
        ByteBuffer.wrap(
            bytes(
                253, // message-type gii
                0x81, // endian-and-sub-type: big endian, Version
                0x00, 0x02, // length
                0x00, 0x01))); // version

    assertEquals(List.of(new Unknown("unknown client message type 253", "fd")), listener.events);
  }

  @Test
  void unknownQemuSubtypeStopsParser() throws Exception {
    parser.feed(chunk(bytes(255), 0, 1)); // message-type QEMU, subtype still to come
    assertEquals(List.of(), listener.events);

    parser.feed(ByteBuffer.wrap(bytes(9, 0, 0))); // submessage-type 9, then two more bytes

    assertEquals(
        List.of(new Unknown("unknown QEMU client message subtype 9", "ff09")), listener.events);
    assertTrue(parser.isStopped());
  }

  @Test
  void unknownQemuAudioOperationStopsParser() throws Exception {
    parser.feed(
        ByteBuffer.wrap(
            bytes(
                255, // message-type QEMU
                1, // submessage-type audio
                0x00, 0x03))); // operation 3, undefined

    assertEquals(
        List.of(new Unknown("unknown QEMU audio operation 3", "ff010003")), listener.events);
  }

  @Test
  void setEncodingsOverLimitIsRejected() {
    byte[] header =
        bytes(
            2, // message-type SetEncodings
            0, // padding
            0x04, 0x01); // number-of-encodings 1025

    RfbProtocolException e =
        assertThrows(RfbProtocolException.class, () -> parser.feed(ByteBuffer.wrap(header)));

    assertEquals(
        "SetEncodings lists 1025 encodings, more than the maximum of 1024", e.getMessage());
    assertTrue(parser.isStopped());
    assertEquals(ClientMessageParser.INITIAL_BUFFER_CAPACITY, parser.bufferCapacity());
  }

  @Test
  void setEncodingsAtLimitIsAccepted() throws Exception {
    int count = ClientMessageFraming.MAX_ENCODINGS;
    byte[] message =
        concat(
            bytes(2, 0, count >> 8, count & 0xFF), // message-type, padding, number-of-encodings
            new byte[4 * count]); // Raw, repeated

    parser.feed(ByteBuffer.wrap(message));

    assertEquals(List.of(Message.of(ClientMessageType.SET_ENCODINGS, message)), listener.events);
  }

  @Test
  void fenceLength65IsRejected() {
    byte[] header =
        bytes(
            248, // message-type ClientFence
            0, 0, 0, // padding
            0x80, 0x00, 0x00, 0x00, // flags: Request
            65); // length, one over the limit

    RfbProtocolException e =
        assertThrows(RfbProtocolException.class, () -> parser.feed(ByteBuffer.wrap(header)));

    assertEquals(
        "ClientFence payload length is 65 bytes, more than the maximum of 64", e.getMessage());
  }

  @Test
  void fenceLength64IsAccepted() throws Exception {
    byte[] message =
        concat(
            bytes(
                248, // message-type ClientFence
                0, 0, 0, // padding
                0x80, 0x00, 0x00, 0x00, // flags: Request
                64), // length
            new byte[64]); // payload

    parser.feed(ByteBuffer.wrap(message));

    assertEquals(List.of(Message.of(ClientMessageType.CLIENT_FENCE, message)), listener.events);
  }

  private static final byte[] SET_ENCODINGS_EXTENDED_MOUSE =
      bytes(
          2, // message-type SetEncodings
          0, // padding
          0x00, 0x01, // number-of-encodings
          0xFF, 0xFF, 0xFE, 0xC4); // ExtendedMouseButtons pseudo-encoding, -316

  private static final byte[] EXTENDED_POINTER_EVENT =
      bytes(
          5, // message-type PointerEvent
          0x80, // button-mask: marker bit, buttons 1 to 7 up
          0x00, 0x10, // x-position 16
          0x00, 0x20, // y-position 32
          0x01); // button-mask high byte: button 8 (back) down

  @Test
  void extendedPointerEventAfterRequest() throws Exception {
    parser.feed(ByteBuffer.wrap(concat(SET_ENCODINGS_EXTENDED_MOUSE, EXTENDED_POINTER_EVENT)));

    assertEquals(
        List.of(
            Message.of(ClientMessageType.SET_ENCODINGS, SET_ENCODINGS_EXTENDED_MOUSE),
            Message.of(ClientMessageType.POINTER_EVENT, EXTENDED_POINTER_EVENT)),
        listener.events);
  }

  @Test
  void markerBitWithoutRequestIsButtonEight() throws Exception {
    byte[] pointer =
        bytes(
            5, // message-type PointerEvent
            0x80, // button-mask: button 8 down, as rfbproto.rst defines the bit
            0x00, 0x10, // x-position 16
            0x00, 0x20); // y-position 32

    parser.feed(ByteBuffer.wrap(concat(pointer, Samples.KEY_EVENT)));

    assertEquals(
        List.of(
            Message.of(ClientMessageType.POINTER_EVENT, pointer),
            Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT)),
        listener.events);
  }

  @Test
  void laterSetEncodingsEndsExtendedPointer() throws Exception {
    byte[] setEncodingsRaw =
        bytes(
            2, // message-type SetEncodings
            0, // padding
            0x00, 0x01, // number-of-encodings
            0x00, 0x00, 0x00, 0x00); // Raw
    byte[] pointer = Samples.POINTER_EVENT.clone();
    pointer[1] = (byte) 0x80; // button-mask: button 8 down, no longer a marker

    parser.feed(ByteBuffer.wrap(concat(SET_ENCODINGS_EXTENDED_MOUSE, setEncodingsRaw, pointer)));

    assertEquals(Message.of(ClientMessageType.POINTER_EVENT, pointer), listener.events.get(2));
  }

  @Test
  void invalidClipboardLimitIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ClientMessageParser(-1, listener));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ClientMessageParser(ClientMessageParser.MAX_CLIPBOARD_LIMIT + 1, listener));
  }

  /** Passes messages to a callback and fails on anything else. */
  private record ForwardingListener(java.util.function.Consumer<ClientMessage> target)
      implements ClientMessageParser.Listener {
    @Override
    public void message(ClientMessage message) {
      target.accept(message);
    }

    @Override
    public void oversizedCutText(long declaredLength) {
      throw new AssertionError("Unexpected oversized ClientCutText of " + declaredLength);
    }

    @Override
    public void unknownMessage(UnknownMessage message) {
      throw new AssertionError("Unexpected " + message);
    }
  }
}
