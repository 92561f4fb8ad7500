package app.miosa.gateway.stream.rfb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.miosa.gateway.stream.rfb.RecordingListener.Message;
import app.miosa.gateway.stream.rfb.RecordingListener.Oversized;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generates a long stream of random valid messages, feeds it in random chunks and checks that the
 * parser reports exactly the messages generated. Set {@code -Drfb.seed=N} to replay a failure.
 */
class RandomStreamTest {
  private static final int MESSAGE_COUNT = 100_000;
  private static final int CLIPBOARD_LIMIT = 200;

  @Test
  void randomStreamInRandomChunks() throws Exception {
    long seed = Long.getLong("rfb.seed", new Random().nextLong());
    Random random = new Random(seed);
    StreamBuilder stream = new StreamBuilder(random);
    for (int i = 0; i < MESSAGE_COUNT; i++) {
      stream.addRandomMessage();
    }
    byte[] bytes = stream.out.toByteArray();

    RecordingListener listener = new RecordingListener();
    ClientMessageParser parser = new ClientMessageParser(CLIPBOARD_LIMIT, listener);
    for (int offset = 0; offset < bytes.length; ) {
      int length = Math.min(chunkLength(random), bytes.length - offset);
      ByteBuffer chunk = chunkOf(bytes, offset, length, random.nextInt(4) == 0);
      parser.feed(chunk);
      assertFalse(chunk.hasRemaining(), "seed " + seed + ": chunk at " + offset + " not consumed");
      offset += length;
    }

    assertEquals(stream.expected.size(), listener.events.size(), "seed " + seed + ": event count");
    for (int i = 0; i < stream.expected.size(); i++) {
      assertEquals(stream.expected.get(i), listener.events.get(i), "seed " + seed + ": event " + i);
    }
  }

  /** Returns mostly small chunks, as WebSocket frames of input are, and some large ones. */
  private static int chunkLength(Random random) {
    int kind = random.nextInt(20);
    if (kind < 14) {
      return 1 + random.nextInt(16);
    }
    return kind < 19 ? 17 + random.nextInt(512) : 1 + random.nextInt(8192);
  }

  /** Returns a heap or a direct buffer, because the parser reads both by absolute index. */
  private static ByteBuffer chunkOf(byte[] bytes, int offset, int length, boolean direct) {
    if (!direct) {
      return ByteBuffer.wrap(bytes, offset, length).slice();
    }
    return ByteBuffer.allocateDirect(length).put(bytes, offset, length).flip();
  }

  /** Writes random valid messages and the events that the parser should report for them. */
  private static final class StreamBuilder {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<Object> expected = new ArrayList<>();
    private final Random random;
    private boolean extendedPointerEvents;

    StreamBuilder(Random random) {
      this.random = random;
    }

    void addRandomMessage() {
      switch (random.nextInt(12)) {
        case 0 -> fixed(ClientMessageType.SET_PIXEL_FORMAT, 20);
        case 1 -> setEncodings();
        case 2 -> fixed(ClientMessageType.FRAMEBUFFER_UPDATE_REQUEST, 10);
        case 3 -> fixed(ClientMessageType.KEY_EVENT, 8);
        case 4 -> pointerEvent();
        case 5 -> clientCutText();
        case 6 -> fixed(ClientMessageType.ENABLE_CONTINUOUS_UPDATES, 10);
        case 7 -> clientFence();
        case 8 -> fixed(ClientMessageType.XVP, 4);
        case 9 -> setDesktopSize();
        case 10 -> qemuExtendedKeyEvent();
        default -> qemuAudio();
      }
    }

    private void fixed(ClientMessageType type, int length) {
      byte[] message = randomBytes(length);
      message[0] = (byte) type.code();
      add(type, message);
    }

    private void setEncodings() {
      int count = random.nextInt(40);
      ByteBuffer message = ByteBuffer.allocate(4 + 4 * count);
      message.put((byte) 2).put((byte) 0).putShort((short) count);
      boolean listsExtendedMouse = false;
      for (int i = 0; i < count; i++) {
        int encoding = random.nextInt(8) == 0 ? -316 : random.nextInt();
        listsExtendedMouse |= encoding == -316;
        message.putInt(encoding);
      }
      extendedPointerEvents = listsExtendedMouse;
      add(ClientMessageType.SET_ENCODINGS, message.array());
    }

    private void pointerEvent() {
      boolean extended = extendedPointerEvents && random.nextBoolean();
      byte[] message = randomBytes(extended ? 7 : 6);
      message[0] = 5;
      if (extended) {
        message[1] |= (byte) 0x80;
      } else if (extendedPointerEvents) {
        message[1] &= 0x7F;
      }
      add(ClientMessageType.POINTER_EVENT, message);
    }

    private void clientCutText() {
      int length = random.nextInt(CLIPBOARD_LIMIT + 60);
      boolean extendedClipboard = random.nextBoolean();
      ByteBuffer message = ByteBuffer.allocate(8 + length);
      message.put(new byte[] {6, 0, 0, 0}).putInt(extendedClipboard ? -length : length);
      message.put(randomBytes(length));
      if (length > CLIPBOARD_LIMIT) {
        out.writeBytes(message.array());
        expected.add(new Oversized(length));
      } else {
        add(ClientMessageType.CLIENT_CUT_TEXT, message.array());
      }
    }

    private void clientFence() {
      int length = random.nextInt(65);
      byte[] message = randomBytes(9 + length);
      message[0] = (byte) 248;
      message[8] = (byte) length;
      add(ClientMessageType.CLIENT_FENCE, message);
    }

    private void setDesktopSize() {
      int screens = random.nextInt(4) == 0 ? random.nextInt(256) : 1;
      byte[] message = randomBytes(8 + 16 * screens);
      message[0] = (byte) 251;
      message[6] = (byte) screens;
      add(ClientMessageType.SET_DESKTOP_SIZE, message);
    }

    private void qemuExtendedKeyEvent() {
      byte[] message = randomBytes(12);
      message[0] = (byte) 255;
      message[1] = 0;
      add(ClientMessageType.QEMU_EXTENDED_KEY_EVENT, message);
    }

    private void qemuAudio() {
      int operation = random.nextInt(3);
      byte[] message = randomBytes(operation == 2 ? 10 : 4);
      message[0] = (byte) 255;
      message[1] = 1;
      message[2] = 0;
      message[3] = (byte) operation;
      add(ClientMessageType.QEMU_AUDIO, message);
    }

    private byte[] randomBytes(int length) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      return bytes;
    }

    private void add(ClientMessageType type, byte[] message) {
      out.writeBytes(message);
      expected.add(Message.of(type, message));
    }
  }
}
