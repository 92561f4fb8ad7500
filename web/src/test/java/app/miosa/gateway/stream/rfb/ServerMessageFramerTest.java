package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.ServerSamples.BELL;
import static app.miosa.gateway.stream.rfb.ServerSamples.RGB_565;
import static app.miosa.gateway.stream.rfb.ServerSamples.TRUE_COLOUR_32;
import static app.miosa.gateway.stream.rfb.ServerSamples.oneRectangle;
import static app.miosa.gateway.stream.rfb.ServerSamples.payload;
import static app.miosa.gateway.stream.rfb.Wire.bytes;
import static app.miosa.gateway.stream.rfb.Wire.chunk;
import static app.miosa.gateway.stream.rfb.Wire.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.stream.rfb.ServerSamples.Sample;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds server messages whole, split and in large streams, and checks the exact bytes forwarded.
 * Each sample is followed by an oversized ServerCutText and a Bell: the framer only drops the cut
 * text when it found where the sample ends.
 */
class ServerMessageFramerTest {
  private static final int CLIPBOARD_LIMIT = 16;

  /** A ServerCutText of 17 bytes of text, one over {@link #CLIPBOARD_LIMIT}. */
  private static final byte[] OVERSIZED_CUT_TEXT =
      concat(
          bytes(3, 0, 0, 0), // message-type ServerCutText, 3 padding
          bytes(0, 0, 0, 17), // length
          payload(17)); // text

  static List<Sample> samples() {
    return ServerSamples.all();
  }

  private static ServerMessageFramer framer(ForwardRecorder recorder, byte[] pixelFormat) {
    ServerMessageFramer framer = new ServerMessageFramer(CLIPBOARD_LIMIT, recorder);
    framer.setPixelFormat(pixelFormat);
    return framer;
  }

  private static String hex(byte[]... parts) {
    return RecordingListener.hex(concat(parts));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void wholeSampleIsFramedExactly(Sample sample) throws Exception {
    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = framer(recorder, sample.pixelFormat());
    ByteBuffer input = ByteBuffer.wrap(concat(sample.bytes(), OVERSIZED_CUT_TEXT, BELL));

    framer.feed(input);

    assertFalse(input.hasRemaining());
    assertEquals(hex(sample.bytes(), BELL), recorder.forwardedHex());
    assertEquals(List.of(17L), recorder.oversized);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void splitAtEveryBoundary(Sample sample) throws Exception {
    byte[] stream = concat(sample.bytes(), OVERSIZED_CUT_TEXT, BELL);

    for (int split = 1; split < stream.length; split++) {
      ForwardRecorder recorder = new ForwardRecorder();
      ServerMessageFramer framer = framer(recorder, sample.pixelFormat());

      framer.feed(chunk(stream, 0, split));
      framer.feed(chunk(stream, split, stream.length - split));

      assertEquals(hex(sample.bytes(), BELL), recorder.forwardedHex(), "split at byte " + split);
      assertEquals(List.of(17L), recorder.oversized, "split at byte " + split);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void oneByteAtATime(Sample sample) throws Exception {
    byte[] stream = concat(sample.bytes(), OVERSIZED_CUT_TEXT, BELL);
    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = framer(recorder, sample.pixelFormat());

    for (int i = 0; i < stream.length; i++) {
      framer.feed(chunk(stream, i, 1));
    }

    assertEquals(hex(sample.bytes(), BELL), recorder.forwardedHex());
    assertEquals(List.of(17L), recorder.oversized);
  }

  @Test
  void oversizedCutTextDroppedAndReportedOnce() throws Exception {
    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = framer(recorder, TRUE_COLOUR_32);

    framer.feed(ByteBuffer.wrap(concat(BELL, OVERSIZED_CUT_TEXT, BELL)));

    assertEquals(hex(BELL, BELL), recorder.forwardedHex());
    assertEquals(List.of(17L), recorder.oversized);
  }

  @Test
  void oversizedExtendedClipboardDropped() throws Exception {
    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = framer(recorder, TRUE_COLOUR_32);
    byte[] cutText =
        concat(
            bytes(3, 0, 0, 0), // message-type ServerCutText, 3 padding
            bytes(0xFF, 0xFF, 0xFF, 0xEC), // length -20: 20 bytes of extended clipboard
            payload(20));

    framer.feed(ByteBuffer.wrap(concat(cutText, BELL)));

    assertEquals(hex(BELL), recorder.forwardedHex());
    assertEquals(List.of(20L), recorder.oversized);
  }

  @Test
  void cutTextAtLimitForwarded() throws Exception {
    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = framer(recorder, TRUE_COLOUR_32);
    byte[] cutText =
        concat(
            bytes(3, 0, 0, 0), // message-type ServerCutText, 3 padding
            bytes(0, 0, 0, CLIPBOARD_LIMIT), // length
            payload(CLIPBOARD_LIMIT)); // text

    framer.feed(ByteBuffer.wrap(concat(cutText, BELL)));

    assertEquals(hex(cutText, BELL), recorder.forwardedHex());
    assertEquals(List.of(), recorder.oversized);
  }

  @Test
  void hugeCutTextStreamsUnbuffered() throws Exception {
    long textLength = 80L * 1024 * 1024;
    ForwardRecorder recorder = new ForwardRecorder(false);
    ServerMessageFramer framer = new ServerMessageFramer(256 * 1024, recorder);
    byte[] chunk = new byte[64 * 1024];

    framer.feed(
        ByteBuffer.wrap(
            bytes(
                3, 0, 0, 0, // message-type ServerCutText, 3 padding
                0x05, 0x00, 0x00, 0x00))); // length 80 MiB
    for (long fed = 0; fed < textLength; fed += chunk.length) {
      framer.feed(ByteBuffer.wrap(chunk));
      assertEquals(ServerMessageFramer.INITIAL_BUFFER_CAPACITY, framer.bufferCapacity());
    }
    framer.feed(ByteBuffer.wrap(BELL));

    assertEquals(List.of(textLength), recorder.oversized);
    assertEquals(1, recorder.forwardedCount, "only the Bell is forwarded");
  }

  @Test
  void tenMegabyteRawUpdateStreamsUnbuffered() throws Exception {
    int width = 1920;
    int height = 1303;
    long pixelBytes = (long) width * height * 4;
    ForwardRecorder recorder = new ForwardRecorder(false);
    ServerMessageFramer framer = framer(recorder, TRUE_COLOUR_32);
    byte[] chunk = new byte[64 * 1024];

    framer.feed(ByteBuffer.wrap(oneRectangle(width, height, 0)));
    for (long fed = 0; fed < pixelBytes; fed += chunk.length) {
      int length = (int) Math.min(chunk.length, pixelBytes - fed);
      framer.feed(ByteBuffer.wrap(chunk, 0, length));
      assertEquals(ServerMessageFramer.INITIAL_BUFFER_CAPACITY, framer.bufferCapacity());
    }
    framer.feed(ByteBuffer.wrap(concat(OVERSIZED_CUT_TEXT, BELL)));

    assertTrue(pixelBytes > 10_000_000);
    assertEquals(16 + pixelBytes + 1, recorder.forwardedCount);
    assertEquals(List.of(17L), recorder.oversized);
  }

  @Test
  void tightPaletteOf256FitsMaxHeader() throws Exception {
    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = new ServerMessageFramer(CLIPBOARD_LIMIT, recorder);
    // Depth 32 instead of 24 makes a TPIXEL a 4-byte PIXEL.
    framer.setPixelFormat(bytes(32, 32, 0, 1, 0, 0xFF, 0, 0xFF, 0, 0xFF, 16, 8, 0, 0, 0, 0));
    byte[] update =
        oneRectangle(
            64, 64, 7,
            bytes(0x40), // BasicCompression, read-filter-id
            bytes(1), // filter-id PaletteFilter
            bytes(255), // number of colours - 1
            payload(256 * 4), // palette of 256 TPIXELs of 4 bytes
            bytes(0xFF, 0xFF, 0xFF), // compact length 4194303, the maximum
            payload(4194303)); // zlibData

    framer.feed(ByteBuffer.wrap(concat(update, OVERSIZED_CUT_TEXT, BELL)));

    assertEquals(List.of(17L), recorder.oversized);
    assertEquals(update.length + 1, recorder.forwarded.size());
    assertTrue(framer.bufferCapacity() <= ServerMessageFramer.MAX_HEADER_LENGTH);
  }

  @Test
  void unknownMessageTypeRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);

    RfbProtocolException e =
        assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(bytes(4))));

    assertEquals("Unknown server message type 4", e.getMessage());
  }

  @Test
  void feedAfterViolationFails() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(bytes(253))));

    assertThrows(IllegalStateException.class, () -> framer.feed(ByteBuffer.wrap(BELL)));
  }

  @ParameterizedTest(name = "encoding {0}")
  @ValueSource(ints = {3, 4, 6, 8, 15, 17, -240, -257, -261, -305})
  void unknownEncodingRejected(int encoding) {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);

    RfbProtocolException e =
        assertThrows(
            RfbProtocolException.class,
            () -> framer.feed(ByteBuffer.wrap(oneRectangle(1, 1, encoding))));

    assertEquals(
        "Rectangle has encoding " + encoding + ", which the gateway cannot frame", e.getMessage());
    assertFalse(ServerMessageFramer.canFrame(encoding));
  }

  @ParameterizedTest(name = "encoding {0}")
  @ValueSource(ints = {-309, -312, -313, 0xC0A1E5CE, -23, -32, -247, -256, -412, -512, -763})
  void announcedOnlyEncodingRejectedAsRectangle(int encoding) {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);

    assertThrows(
        RfbProtocolException.class,
        () -> framer.feed(ByteBuffer.wrap(oneRectangle(1, 1, encoding))));
    assertTrue(ServerMessageFramer.canFrame(encoding));
  }

  @ParameterizedTest(name = "encoding {0}")
  @ValueSource(ints = {0, 1, 2, 5, 7, 16, -223, -224, -239, -258, -259, -260, -307, -308, -316})
  void rectangleEncodingsCanBeFramed(int encoding) {
    assertTrue(ServerMessageFramer.canFrame(encoding));
  }

  @Test
  void invalidTightCompressionRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    byte[] update = oneRectangle(4, 4, 7, bytes(0xA0)); // PNG is TightPNG only

    assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(update)));
  }

  @Test
  void unknownTightFilterRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    byte[] update = oneRectangle(4, 4, 7, bytes(0x40, 3)); // read-filter-id, filter-id 3

    RfbProtocolException e =
        assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(update)));

    assertEquals("Tight filter-id is 3, expected 0 to 2", e.getMessage());
  }

  @Test
  void zlibhexBitInHextileRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    byte[] update = oneRectangle(4, 4, 5, bytes(32)); // subencoding-mask ZlibRaw

    assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(update)));
  }

  @Test
  void fencePayloadOverLimitRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    byte[] fence = bytes(248, 0, 0, 0, 0, 0, 0, 0, 65); // ServerFence, length 65

    RfbProtocolException e =
        assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(fence)));

    assertEquals(
        "ServerFence payload length is 65 bytes, more than the maximum of 64", e.getMessage());
  }

  @Test
  void zrleLengthOverLimitRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    byte[] update = oneRectangle(64, 64, 16, bytes(0x04, 0x00, 0x00, 0x01)); // 64 MiB + 1

    assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(update)));
  }

  @Test
  void desktopNameOverLimitRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);
    byte[] update = oneRectangle(0, 0, -307, bytes(0x00, 0x01, 0x00, 0x01)); // 64 KiB + 1

    assertThrows(RfbProtocolException.class, () -> framer.feed(ByteBuffer.wrap(update)));
  }

  @Test
  void unknownQemuOperationRejected() {
    ServerMessageFramer framer = framer(new ForwardRecorder(), TRUE_COLOUR_32);

    assertThrows(
        RfbProtocolException.class,
        () -> framer.feed(ByteBuffer.wrap(bytes(255, 1, 0, 3)))); // audio operation 3
  }

  @Test
  void invalidBitsPerPixelRejectedAtRectangle() throws Exception {
    ServerMessageFramer framer = framer(new ForwardRecorder(), RGB_565);
    byte[] format = RGB_565.clone();
    format[0] = 24; // bits-per-pixel 24
    framer.setPixelFormat(format);
    framer.feed(ByteBuffer.wrap(BELL));

    RfbProtocolException e =
        assertThrows(
            RfbProtocolException.class,
            () -> framer.feed(ByteBuffer.wrap(oneRectangle(1, 1, 0, payload(3)))));

    assertEquals("PIXEL_FORMAT bits-per-pixel is 24, expected 8, 16 or 32", e.getMessage());
  }

  @Test
  void rectangleWithoutPixelFormatFails() {
    ServerMessageFramer framer = new ServerMessageFramer(CLIPBOARD_LIMIT, new ForwardRecorder());

    assertThrows(
        IllegalStateException.class,
        () -> framer.feed(ByteBuffer.wrap(oneRectangle(1, 1, 0, payload(4)))));
  }

  @Test
  void shortPixelFormatRejected() {
    ServerMessageFramer framer = new ServerMessageFramer(CLIPBOARD_LIMIT, new ForwardRecorder());

    assertThrows(IllegalArgumentException.class, () -> framer.setPixelFormat(new byte[15]));
  }
}
