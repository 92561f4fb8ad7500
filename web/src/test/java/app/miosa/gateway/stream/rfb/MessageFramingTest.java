package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.Wire.chunk;
import static app.miosa.gateway.stream.rfb.Wire.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.miosa.gateway.stream.rfb.RecordingListener.Message;
import app.miosa.gateway.stream.rfb.Samples.Sample;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Feeds one sample of every message type whole and split, and checks the exact bytes emitted. */
class MessageFramingTest {
  static List<Sample> samples() {
    return Samples.all();
  }

  @Test
  void samplesCoverEveryType() {
    Set<ClientMessageType> covered =
        samples().stream()
            .map(Sample::type)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ClientMessageType.class)));

    assertEquals(EnumSet.allOf(ClientMessageType.class), covered);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void wholeMessageIsExact(Sample sample) throws Exception {
    RecordingListener listener = new RecordingListener();
    ClientMessageParser parser = new ClientMessageParser(1024, listener);
    ByteBuffer input = ByteBuffer.wrap(concat(sample.bytes(), Samples.KEY_EVENT));

    parser.feed(input);

    assertFalse(input.hasRemaining());
    assertEquals(
        List.of(
            Message.of(sample.type(), sample.bytes()),
            Message.of(ClientMessageType.KEY_EVENT, Samples.KEY_EVENT)),
        listener.events);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void splitAtEveryBoundary(Sample sample) throws Exception {
    byte[] bytes = sample.bytes();

    for (int split = 1; split < bytes.length; split++) {
      RecordingListener listener = new RecordingListener();
      ClientMessageParser parser = new ClientMessageParser(1024, listener);

      parser.feed(chunk(bytes, 0, split));
      assertEquals(List.of(), listener.events, "after the first " + split + " bytes");

      parser.feed(chunk(concat(bytes, Samples.KEY_EVENT), split, bytes.length - split));
      assertEquals(
          List.of(Message.of(sample.type(), bytes)), listener.events, "split at byte " + split);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void oneByteAtATime(Sample sample) throws Exception {
    RecordingListener listener = new RecordingListener();
    ClientMessageParser parser = new ClientMessageParser(1024, listener);
    byte[] bytes = sample.bytes();

    for (int i = 0; i < bytes.length; i++) {
      parser.feed(chunk(bytes, i, 1));
      boolean last = i == bytes.length - 1;
      assertEquals(last ? 1 : 0, listener.events.size(), "after byte " + i);
    }

    assertEquals(List.of(Message.of(sample.type(), bytes)), listener.events);
  }
}
