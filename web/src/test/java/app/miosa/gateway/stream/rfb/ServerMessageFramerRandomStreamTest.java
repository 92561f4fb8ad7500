package app.miosa.gateway.stream.rfb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generates a long stream of random valid server messages, feeds it in random chunks and checks
 * that the forwarded bytes are the stream without its oversized cut texts. Set {@code -Drfb.seed=N}
 * to replay a failure.
 */
class ServerMessageFramerRandomStreamTest {
  private static final int MESSAGE_COUNT = 25_000;
  private static final int CLIPBOARD_LIMIT = 200;

  @ParameterizedTest(name = "{0} bits per pixel")
  @ValueSource(ints = {8, 16, 32})
  void randomStreamInRandomChunks(int bitsPerPixel) throws Exception {
    long seed = Long.getLong("rfb.seed", new Random().nextLong());
    Random random = new Random(seed);
    byte[] pixelFormat = pixelFormat(bitsPerPixel);
    StreamBuilder stream = new StreamBuilder(random, bitsPerPixel);
    for (int i = 0; i < MESSAGE_COUNT; i++) {
      stream.addRandomMessage();
    }
    byte[] bytes = stream.all.toByteArray();

    ForwardRecorder recorder = new ForwardRecorder();
    ServerMessageFramer framer = new ServerMessageFramer(CLIPBOARD_LIMIT, recorder);
    framer.setPixelFormat(pixelFormat);
    for (int offset = 0; offset < bytes.length; ) {
      int length = Math.min(chunkLength(random), bytes.length - offset);
      framer.feed(ByteBuffer.wrap(bytes, offset, length).slice());
      offset += length;
    }

    String context = "seed " + seed;
    assertEquals(stream.oversized, recorder.oversized, context);
    byte[] expected = stream.forwarded.toByteArray();
    byte[] actual = recorder.forwarded.toByteArray();
    assertEquals(expected.length, actual.length, context + ": forwarded length");
    assertEquals(-1, Arrays.mismatch(expected, actual), context + ": first differing byte");
  }

  private static byte[] pixelFormat(int bitsPerPixel) {
    return switch (bitsPerPixel) {
      case 8 -> ServerSamples.COLOUR_MAP_8;
      case 16 -> ServerSamples.RGB_565;
      default -> ServerSamples.TRUE_COLOUR_32;
    };
  }

  /** Returns mostly small chunks, and some as large as a TCP read. */
  private static int chunkLength(Random random) {
    int kind = random.nextInt(10);
    if (kind < 6) {
      return 1 + random.nextInt(16);
    }
    return kind < 9 ? 1 + random.nextInt(512) : 1 + random.nextInt(65536);
  }

  /** Writes random valid messages, and separately the bytes that the framer should forward. */
  private static final class StreamBuilder {
    final ByteArrayOutputStream all = new ByteArrayOutputStream();
    final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
    final List<Long> oversized = new ArrayList<>();
    private final Random random;
    private final int bytesPerPixel;
    private final int tightPixel;
    private ByteBuffer message;

    StreamBuilder(Random random, int bitsPerPixel) {
      this.random = random;
      this.bytesPerPixel = bitsPerPixel / 8;
      this.tightPixel = bitsPerPixel == 32 ? 3 : bytesPerPixel;
    }

    void addRandomMessage() {
      message = ByteBuffer.allocate(1 << 20);
      switch (random.nextInt(9)) {
        case 0, 1, 2 -> framebufferUpdate();
        case 3 -> serverCutText();
        case 4 -> setColourMapEntries();
        case 5 -> fixed(2, 150, 250);
        case 6 -> serverFence();
        case 7 -> qemuAudio();
        default -> serverCutText();
      }
    }

    private void framebufferUpdate() {
      boolean lastRect = random.nextInt(4) == 0;
      int count = 1 + random.nextInt(4);
      put(0, 0).putShort((short) (lastRect ? 0xFFFF : count));
      for (int i = 0; i < count; i++) {
        rectangle();
      }
      if (lastRect) {
        rectangleHeader(0, 0, -224);
      }
      emit(true);
    }

    private void rectangle() {
      int width = random.nextInt(40);
      int height = random.nextInt(40);
      switch (random.nextInt(12)) {
        case 0 ->
            rectangleHeader(width, height, 0).put(randomBytes(width * height * bytesPerPixel));
        case 1 -> rectangleHeader(width, height, 1).put(randomBytes(4));
        case 2 -> rre(width, height);
        case 3 -> hextile(width, height);
        case 4, 5 -> tight(width, height, random.nextBoolean() ? 7 : -260);
        case 6 -> lengthPrefixed(rectangleHeader(width, height, 16), random.nextInt(300));
        case 7 ->
            rectangleHeader(width, height, -239)
                .put(randomBytes(width * height * bytesPerPixel + (width + 7) / 8 * height));
        case 8 -> lengthPrefixed(rectangleHeader(0, 0, -307), random.nextInt(40));
        case 9 -> extendedDesktopSize(width, height);
        default -> rectangleHeader(width, height, pick(-223, -258, -259, -316));
      }
    }

    private ByteBuffer rectangleHeader(int width, int height, int encoding) {
      return message
          .putShort((short) random.nextInt(65536))
          .putShort((short) random.nextInt(65536))
          .putShort((short) width)
          .putShort((short) height)
          .putInt(encoding);
    }

    private void rre(int width, int height) {
      int count = random.nextInt(10);
      rectangleHeader(width, height, 2).putInt(count).put(randomBytes(bytesPerPixel));
      message.put(randomBytes(count * (bytesPerPixel + 8)));
    }

    private void hextile(int width, int height) {
      rectangleHeader(width, height, 5);
      for (int y = 0; y < height; y += 16) {
        for (int x = 0; x < width; x += 16) {
          hextileTile(Math.min(16, width - x), Math.min(16, height - y));
        }
      }
    }

    private void hextileTile(int width, int height) {
      int mask = random.nextInt(32);
      message.put((byte) mask);
      if ((mask & 1) != 0) {
        message.put(randomBytes(width * height * bytesPerPixel));
        return;
      }
      if ((mask & 2) != 0) {
        message.put(randomBytes(bytesPerPixel));
      }
      if ((mask & 4) != 0) {
        message.put(randomBytes(bytesPerPixel));
      }
      if ((mask & 8) != 0) {
        int count = random.nextInt(256);
        int pixel = (mask & 16) != 0 ? bytesPerPixel : 0;
        message.put((byte) count).put(randomBytes(count * (pixel + 2)));
      }
    }

    private void tight(int width, int height, int encoding) {
      rectangleHeader(width, height, encoding);
      int stream = random.nextInt(4) << 4 | random.nextInt(16);
      switch (random.nextInt(encoding == 7 ? 6 : 7)) {
        case 0 -> message.put((byte) (0x80 | stream & 0x0F)).put(randomBytes(tightPixel));
        case 1 -> compactData(message.put((byte) (0x90 | stream & 0x0F)));
        case 2 -> tightBasic(width, height, stream, false, 0);
        case 3 -> tightBasic(width, height, stream, true, 0);
        case 4 -> tightBasic(width, height, stream, true, 1);
        case 5 -> tightBasic(width, height, stream, true, 2);
        default -> compactData(message.put((byte) (0xA0 | stream & 0x0F)));
      }
    }

    private void tightBasic(int width, int height, int stream, boolean filterId, int filter) {
      message.put((byte) (stream | (filterId ? 0x40 : 0)));
      if (filterId) {
        message.put((byte) filter);
      }
      int dataLength = width * height * tightPixel;
      if (filter == 1) {
        int colours = 2 + random.nextInt(255);
        message.put((byte) (colours - 1)).put(randomBytes(colours * tightPixel));
        dataLength = colours == 2 ? (width + 7) / 8 * height : width * height;
      }
      if (dataLength < 12) {
        message.put(randomBytes(dataLength));
      } else {
        compactData(message);
      }
    }

    /** Writes a Tight compact length of 1, 2 or 3 bytes, and that many bytes of data. */
    private void compactData(ByteBuffer target) {
      int length = pick(random.nextInt(128), 128 + random.nextInt(2000), 16384 + random.nextInt(4));
      target.put((byte) (length & 0x7F | (length > 0x7F ? 0x80 : 0)));
      if (length > 0x7F) {
        target.put((byte) (length >> 7 & 0x7F | (length > 0x3FFF ? 0x80 : 0)));
      }
      if (length > 0x3FFF) {
        target.put((byte) (length >> 14));
      }
      target.put(randomBytes(length));
    }

    private void extendedDesktopSize(int width, int height) {
      int screens = random.nextInt(4);
      rectangleHeader(width, height, -308).putInt(screens << 24).put(randomBytes(16 * screens));
    }

    private void serverCutText() {
      int length = random.nextInt(CLIPBOARD_LIMIT + 60);
      boolean extendedClipboard = random.nextBoolean();
      put(3, 0, 0, 0).putInt(extendedClipboard ? -length : length).put(randomBytes(length));
      boolean over = length > CLIPBOARD_LIMIT;
      if (over) {
        oversized.add((long) length);
      }
      emit(!over);
    }

    private void setColourMapEntries() {
      int count = random.nextInt(20);
      put(1, 0).putShort((short) random.nextInt(256)).putShort((short) count);
      message.put(randomBytes(6 * count));
      emit(true);
    }

    private void fixed(int... types) {
      int type = pick(types);
      put(type);
      if (type == 250) {
        put(0, 1, random.nextInt(2));
      }
      emit(true);
    }

    private void serverFence() {
      int length = random.nextInt(65);
      put(248, 0, 0, 0).putInt(random.nextInt()).put((byte) length).put(randomBytes(length));
      emit(true);
    }

    private void qemuAudio() {
      int operation = random.nextInt(3);
      put(255, 1).putShort((short) operation);
      if (operation == 2) {
        lengthPrefixed(message, random.nextInt(2000));
      }
      emit(true);
    }

    private void lengthPrefixed(ByteBuffer target, int length) {
      target.putInt(length).put(randomBytes(length));
    }

    private ByteBuffer put(int... values) {
      for (int value : values) {
        message.put((byte) value);
      }
      return message;
    }

    private int pick(int... values) {
      return values[random.nextInt(values.length)];
    }

    private byte[] randomBytes(int length) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      return bytes;
    }

    private void emit(boolean forward) {
      all.write(message.array(), 0, message.position());
      if (forward) {
        forwarded.write(message.array(), 0, message.position());
      }
    }
  }
}
