package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.miosa.gateway.stream.rfb.ClientMessage;
import app.miosa.gateway.stream.rfb.ClientMessageParser;
import app.miosa.gateway.stream.rfb.ClientMessageType;
import app.miosa.gateway.stream.rfb.MessageCategory;
import app.miosa.gateway.stream.rfb.RfbProtocolException;
import app.miosa.gateway.stream.rfb.UnknownMessage;
import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.RecordingVncServer;
import app.miosa.gateway.testing.RecordingVncServer.Connection;
import app.miosa.gateway.testing.RfbViewer;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzzes the read-only filter end to end. Random client messages travel through read-only
 * tickets' WebSockets to a fake VNC server that records what the gateway forwards, and the
 * product's own {@link ClientMessageParser} parses each recording to check that no input message
 * reached the server.
 *
 * <p>Set {@code -Dfuzz.seed=N} to replay a run; every assertion message names the seed. {@code
 * -Dfuzz.messages=N} sets how many messages are generated in total: four fifths go in valid
 * sequences, the rest in mutated ones.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ReadOnlyFuzzIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();

  private static final long SEED = Long.getLong("fuzz.seed", new Random().nextLong());
  private static final int MESSAGES = Integer.getInteger("fuzz.messages", 125_000);

  /** Messages per stream of valid sequences: a random count in this range. */
  private static final int MIN_VALID_STREAM_MESSAGES = 1_000;
  private static final int MAX_VALID_STREAM_MESSAGES = 5_000;

  /** Messages per stream of mutated sequences, before mutation: a random count in this range. */
  private static final int MIN_MUTATED_STREAM_MESSAGES = 20;
  private static final int MAX_MUTATED_STREAM_MESSAGES = 400;

  /** Maximum wait for one step of one stream: a connection, a close, or forwarded bytes. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Maximum run time of one test, so that a slow gateway fails the test instead of stalling it. */
  private static final Duration MAX_RUN_TIME = Duration.ofMinutes(10);

  /**
   * Wait after a mutated stream's expected bytes arrived, when its last message is incomplete and
   * nothing marks the end of what the gateway may forward.
   */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(200);

  /** Close code of Failure.INPUT_NOT_ALLOWED, which ends a read-only stream at unknown input. */
  private static final int INPUT_NOT_ALLOWED = 4008;

  /**
   * FramebufferUpdateRequest that ends every sequence. The gateway forwards messages in order, so
   * once the server has this control message the gateway has handled everything sent before it.
   */
  private static final byte[] END_OF_SEQUENCE = {
    3, // message-type FramebufferUpdateRequest
    0, // incremental: no
    0, 0, // x-position 0
    0, 0, // y-position 0
    0, RecordingVncServer.WIDTH, // width
    0, RecordingVncServer.HEIGHT // height
  };

  /** Message-type bytes that the RFB specification or its extensions define for clients. */
  private static final Set<Integer> KNOWN_MESSAGE_TYPES =
      Set.of(0, 2, 3, 4, 5, 6, 150, 248, 250, 251, 255);

  @ArquillianResource private URL deploymentUrl;

  private GatewayClient gateway;
  private String apiToken;
  private String computerId;
  private long startNanos;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "read-only-fuzz");
  }

  @BeforeEach
  void createClient() {
    gateway = new GatewayClient(deploymentUrl);
    apiToken = TOKENS.token("key_fuzz_test", "acme", ApiTokens.ALL_ROLES);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    startNanos = System.nanoTime();
    System.out.printf("Read-only fuzz: seed %d, %d messages in total%n", SEED, MESSAGES);
  }

  @Test
  void readOnlyForwardsExactlyTheControlMessages() throws Exception {
    Random random = new Random(SEED);
    MessageGenerator generator = new MessageGenerator(random);
    Tally tally = new Tally();

    try (RecordingVncServer server = RecordingVncServer.start()) {
      register(server);
      int remaining = MESSAGES - MESSAGES / 5;
      while (remaining > 0) {
        int count = Math.min(remaining, between(random, MIN_VALID_STREAM_MESSAGES,
            MAX_VALID_STREAM_MESSAGES));
        remaining -= count;
        List<Message> messages = generator.sequence(count);
        messages.add(new Message("end-of-sequence FramebufferUpdateRequest", END_OF_SEQUENCE,
            false));
        sendValidSequence(server, tally, messages, random);
      }
      assertEveryClientInitShared(server, tally.streams);
    }

    tally.print("valid sequences", startNanos);
  }

  @Test
  void readOnlyForwardsOnlyControlFromMutatedInput() throws Exception {
    Random random = new Random(SEED);
    MessageGenerator generator = new MessageGenerator(random);
    Tally tally = new Tally();

    try (RecordingVncServer server = RecordingVncServer.start()) {
      register(server);
      int remaining = MESSAGES / 5;
      while (remaining > 0) {
        int count = Math.min(remaining, between(random, MIN_MUTATED_STREAM_MESSAGES,
            MAX_MUTATED_STREAM_MESSAGES));
        remaining -= count;
        sendMutatedSequence(server, tally, generator.sequence(count), random);
      }
      assertEveryClientInitShared(server, tally.streams);
    }

    tally.print("mutated sequences", startNanos);
  }

  /**
   * Sends a valid sequence on a new read-only stream and checks that the server received exactly
   * its control messages, in order.
   */
  private void sendValidSequence(
      RecordingVncServer server, Tally tally, List<Message> messages, Random random)
      throws Exception {
    int streamIndex = tally.streams;
    String context = "seed " + SEED + ", valid stream " + streamIndex;
    assertWithinRunTime(context);
    byte[] bytes = concatenate(messages);
    List<byte[]> chunks = split(bytes, messageEnds(messages), random);
    List<Message> expected =
        messages.stream()
            .filter(message -> !message.input())
            .map(message -> new Message(message.name(), asForwarded(message.bytes()), false))
            .toList();
    byte[] expectedBytes = concatenate(expected);

    RfbViewer viewer = openReadOnlyViewer(random.nextBoolean(), tally);
    try {
      Connection connection = server.awaitConnection(streamIndex, TIMEOUT);
      int sent = send(viewer, chunks);
      assertEquals(chunks.size(), sent,
          context + ": WebSocket messages sent before the stream ended, " + closeState(viewer));

      boolean received = connection.awaitRecorded(expectedBytes.length, TIMEOUT);
      assertTrue(received,
          context + ": the server received " + connection.recordedLength() + " of "
              + expectedBytes.length + " bytes of control messages; the stream is "
              + closeState(viewer));
      closeNormally(viewer);
      assertTrue(connection.awaitEnd(TIMEOUT),
          context + ": the gateway kept the VNC connection open after the viewer left");
      assertNull(connection.failure(), context + ": the VNC connection failed");

      byte[] recorded = connection.recorded();
      ParsedStream parsed = ParsedStream.of(recorded);
      assertOnlyControlMessages(parsed, context);
      assertEquals(recorded.length, parsed.consumed,
          context + ": the recording ends inside a message");
      assertEquals(expected.size(), parsed.messages.size(), context + ": control messages");
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i).bytes(), parsed.messages.get(i).bytes(),
            context + ": control message " + i + ", " + expected.get(i).name());
      }
      assertEquals(expectedBytes.length, recorded.length, context + ": bytes recorded");
    } finally {
      viewer.stream().socket().abort();
    }

    tally.streams++;
    tally.messages += messages.size();
    tally.inputMessages += messages.size() - expected.size();
    tally.webSocketMessages += chunks.size();
    tally.bytes += bytes.length;
  }

  /**
   * Sends a mutated sequence on a new read-only stream and checks that the server received only
   * control messages. When the product's parser accepts the whole sequence, the server must
   * receive exactly the control messages the parser finds. When the parser stops, the gateway
   * must close the stream with 4008 and the server may receive a prefix of them.
   */
  private void sendMutatedSequence(
      RecordingVncServer server, Tally tally, List<Message> messages, Random random)
      throws Exception {
    int streamIndex = tally.streams;
    List<String> mutations = new ArrayList<>();
    byte[] mutated = mutate(concatenate(messages), messageEnds(messages), random, mutations);
    String context = "seed " + SEED + ", mutated stream " + streamIndex + " " + mutations;
    assertWithinRunTime(context);
    byte[] bytes = Arrays.copyOf(mutated, mutated.length + END_OF_SEQUENCE.length);
    System.arraycopy(END_OF_SEQUENCE, 0, bytes, mutated.length, END_OF_SEQUENCE.length);
    List<byte[]> chunks = split(bytes, messageEnds(messages), random);

    ParsedStream prediction = ParsedStream.of(mutated);
    int messagesBeforeEnd = prediction.messages.size();
    prediction.feed(END_OF_SEQUENCE);
    byte[] predicted = prediction.controlBytes();
    // The end-of-sequence request arrives whole only when the mutated bytes left no partial
    // message behind. Otherwise it completes or extends that message.
    boolean endArrivesWhole =
        !prediction.stopped()
            && prediction.messages.size() > messagesBeforeEnd
            && Arrays.equals(
                END_OF_SEQUENCE, prediction.messages.get(prediction.messages.size() - 1).bytes());

    RfbViewer viewer = openReadOnlyViewer(random.nextBoolean(), tally);
    try {
      Connection connection = server.awaitConnection(streamIndex, TIMEOUT);
      int sent = send(viewer, chunks);
      if (prediction.stopped()) {
        assertEquals(INPUT_NOT_ALLOWED, awaitCloseCode(viewer, tally, context),
            context + ": close code after " + prediction.stopReason());
        assertTrue(connection.awaitEnd(TIMEOUT),
            context + ": the gateway kept the VNC connection open after closing the stream");
        byte[] recorded = connection.recorded();
        assertOnlyControlMessages(ParsedStream.of(recorded), context);
        assertStartsWith(predicted, recorded, context);
        tally.closedStreams++;
      } else {
        assertEquals(chunks.size(), sent,
            context + ": WebSocket messages sent before the stream ended, " + closeState(viewer));
        assertTrue(connection.awaitRecorded(predicted.length, TIMEOUT),
            context + ": the server received " + connection.recordedLength() + " of "
                + predicted.length + " bytes of control messages; the stream is "
                + closeState(viewer));
        if (!endArrivesWhole) {
          // NOTE: the last message is incomplete, so nothing marks the end of what the gateway
          // forwards. Bytes that it forwarded after this wait would go unchecked.
          Thread.sleep(QUIET_PERIOD.toMillis());
        }
        closeNormally(viewer);
        assertTrue(connection.awaitEnd(TIMEOUT),
            context + ": the gateway kept the VNC connection open after the viewer left");
        byte[] recorded = connection.recorded();
        assertOnlyControlMessages(ParsedStream.of(recorded), context);
        assertArrayEquals(predicted, recorded, context + ": bytes recorded");
      }
    } finally {
      viewer.stream().socket().abort();
    }

    tally.streams++;
    tally.messages += messages.size();
    tally.inputMessages += messages.stream().filter(Message::input).count();
    tally.webSocketMessages += chunks.size();
    tally.bytes += bytes.length;
  }

  private void register(RecordingVncServer server) {
    HttpResponse<String> response =
        gateway.registerComputer(apiToken, computerId, server.vncUrl());
    assertEquals(201, response.statusCode(), response.body());
  }

  private RfbViewer openReadOnlyViewer(boolean shared, Tally tally) throws Exception {
    JsonObject ticket = gateway.mintTicket(apiToken, computerId, "{\"read_only\": true}");
    assertTrue(ticket.getBoolean("read_only"), "seed " + SEED + ": ticket " + ticket);
    URI url =
        gateway.resolve("computer/" + computerId + "/websockify?ticket="
            + ticket.getString("token"));
    RfbViewer viewer =
        RfbViewer.connect(
            gateway.http(), URI.create("ws" + url.toString().substring("http".length())), shared);
    assertEquals(RecordingVncServer.WIDTH, viewer.desktopSize()[0], "desktop width");
    assertEquals(RecordingVncServer.HEIGHT, viewer.desktopSize()[1], "desktop height");
    if (!shared) {
      tally.exclusiveRequests++;
    }
    return viewer;
  }

  /** Sends each chunk as one binary message and returns how many went out before a failure. */
  private static int send(RfbViewer viewer, List<byte[]> chunks) throws Exception {
    WebSocket socket = viewer.stream().socket();
    for (int i = 0; i < chunks.size(); i++) {
      try {
        socket.sendBinary(ByteBuffer.wrap(chunks.get(i)), true)
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        return i; // The gateway has closed the stream.
      }
    }
    return chunks.size();
  }

  private static void closeNormally(RfbViewer viewer) throws Exception {
    viewer.stream().socket().sendClose(WebSocket.NORMAL_CLOSURE, "")
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Returns the code the gateway closed the stream with. A stream that ended in a transport error
   * instead, because the viewer was still sending when the gateway closed the connection, counts
   * as closed and returns the expected code.
   */
  private static int awaitCloseCode(RfbViewer viewer, Tally tally, String context)
      throws Exception {
    try {
      return viewer.stream().awaitCloseCode(TIMEOUT);
    } catch (TimeoutException e) {
      return fail(context + ": the gateway kept the stream open for " + TIMEOUT
          + " after input that its parser does not accept");
    } catch (ExecutionException e) {
      tally.transportErrors++;
      return INPUT_NOT_ALLOWED;
    }
  }

  private static String closeState(RfbViewer viewer) {
    try {
      return "closed with code " + viewer.stream().awaitCloseCode(Duration.ZERO);
    } catch (TimeoutException e) {
      return "open";
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private void assertWithinRunTime(String context) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    assertTrue(elapsed.compareTo(MAX_RUN_TIME) < 0,
        context + ": the run took longer than " + MAX_RUN_TIME
            + "; lower -Dfuzz.messages on a slow machine");
  }

  private static void assertEveryClientInitShared(RecordingVncServer server, int streams) {
    List<Connection> connections = server.connections();
    assertEquals(streams, connections.size(), "seed " + SEED + ": connections to the server");
    assertEquals(0, server.rejectedConnections(), "seed " + SEED + ": rejected connections");
    for (int i = 0; i < connections.size(); i++) {
      Connection connection = connections.get(i);
      String context = "seed " + SEED + ", connection " + i;
      assertEquals("RFB 003.008", connection.clientVersion(), context + ": ProtocolVersion");
      assertEquals(1, connection.securityType(), context + ": security type");
      assertEquals(1, connection.sharedFlag(), context + ": ClientInit shared-flag");
    }
  }

  /** Checks that the parser read the recording to its end and found only control messages. */
  private static void assertOnlyControlMessages(ParsedStream parsed, String context) {
    assertNull(parsed.violation, context + ": the parser rejected the recording");
    assertTrue(parsed.unknown.isEmpty(),
        context + ": the parser stopped at " + parsed.unknown + " in the recording");
    assertTrue(parsed.oversizedCutTexts.isEmpty(),
        context + ": the recording contains ClientCutText headers of "
            + parsed.oversizedCutTexts + " bytes");
    for (int i = 0; i < parsed.messages.size(); i++) {
      ParsedMessage message = parsed.messages.get(i);
      assertEquals(MessageCategory.CONTROL, message.type().category(),
          context + ": recorded message " + i + " is " + message.type().specName() + " "
              + hex(message.bytes()));
    }
  }

  private static void assertStartsWith(byte[] expected, byte[] actual, String context) {
    assertTrue(actual.length <= expected.length,
        context + ": the server received " + actual.length + " bytes, more than the "
            + expected.length + " bytes of control messages before the parser stops");
    assertArrayEquals(Arrays.copyOf(expected, actual.length), actual,
        context + ": the recording is not a prefix of the control messages");
  }

  private static int between(Random random, int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  private static byte[] concatenate(List<Message> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Message message : messages) {
      out.writeBytes(message.bytes());
    }
    return out.toByteArray();
  }

  /** Returns the offset just after each message, in order. */
  private static int[] messageEnds(List<Message> messages) {
    int[] ends = new int[messages.size()];
    int offset = 0;
    for (int i = 0; i < ends.length; i++) {
      offset += messages.get(i).bytes().length;
      ends[i] = offset;
    }
    return ends;
  }

  /**
   * Splits bytes into WebSocket messages of random sizes: 1 to 16 bytes, up to 512 bytes, up to 4
   * KiB, or up to one of the next 2 to 8 offsets in {@code messageEnds}. So one WebSocket message
   * often carries several RFB messages, and one RFB message often spans several WebSocket messages.
   */
  private static List<byte[]> split(byte[] bytes, int[] messageEnds, Random random) {
    List<byte[]> chunks = new ArrayList<>();
    int nextEnd = 0;
    int offset = 0;
    while (offset < bytes.length) {
      int kind = random.nextInt(10);
      int length;
      if (kind < 3) {
        length = between(random, 1, 16);
      } else if (kind < 6) {
        length = between(random, 17, 512);
      } else if (kind < 8) {
        length = between(random, 513, 4096);
      } else {
        while (nextEnd < messageEnds.length && messageEnds[nextEnd] <= offset) {
          nextEnd++;
        }
        int last = Math.min(messageEnds.length - 1, nextEnd + between(random, 1, 7));
        length = last < 0 ? 1 : Math.max(1, messageEnds[last] - offset);
      }
      length = Math.min(length, bytes.length - offset);
      chunks.add(Arrays.copyOfRange(bytes, offset, offset + length));
      offset += length;
    }
    return chunks;
  }

  /**
   * Damages a valid sequence with one to four mutations, described in {@code mutations}: unknown
   * messages inserted between two messages, then bytes changed, random bytes inserted, or the
   * sequence cut short.
   */
  private static byte[] mutate(
      byte[] valid, int[] messageEnds, Random random, List<String> mutations) {
    int count = between(random, 1, 4);
    int unknownInsertions = 0;
    for (int i = 0; i < count; i++) {
      unknownInsertions += random.nextInt(5) < 2 ? 1 : 0;
    }

    // Inserting at the highest offset first keeps the lower message boundaries where they are.
    int[] offsets = new int[unknownInsertions];
    for (int i = 0; i < unknownInsertions; i++) {
      int boundary = random.nextInt(messageEnds.length + 1);
      offsets[i] = boundary == 0 ? 0 : messageEnds[boundary - 1];
    }
    Arrays.sort(offsets);
    byte[] bytes = valid;
    for (int i = offsets.length - 1; i >= 0; i--) {
      byte[] unknown = unknownMessage(random);
      bytes = insert(bytes, offsets[i], unknown);
      mutations.add("inserted " + hex(unknown) + " at " + offsets[i]);
    }

    for (int i = unknownInsertions; i < count && bytes.length > 0; i++) {
      switch (random.nextInt(3)) {
        case 0 -> {
          int offset = random.nextInt(bytes.length);
          byte original = bytes[offset];
          byte replacement =
              random.nextBoolean() ? (byte) 0xFF : (byte) (original ^ between(random, 1, 255));
          bytes = bytes.clone();
          bytes[offset] = replacement;
          mutations.add(
              String.format("changed byte %d from %02x to %02x", offset, original, replacement));
        }
        case 1 -> {
          int offset = random.nextInt(bytes.length + 1);
          byte[] inserted = {(byte) random.nextInt(256)};
          bytes = insert(bytes, offset, inserted);
          mutations.add("inserted " + hex(inserted) + " at " + offset);
        }
        default -> {
          int length = random.nextInt(bytes.length);
          bytes = Arrays.copyOf(bytes, length);
          mutations.add("cut to " + length + " bytes");
        }
      }
    }
    return bytes;
  }

  /**
   * Returns the start of a client message that the gateway cannot frame: an undefined message
   * type, a QEMU message with an undefined subtype, or a QEMU audio message with an undefined
   * operation, followed by up to 16 random bytes.
   */
  private static byte[] unknownMessage(Random random) {
    Fields fields = new Fields();
    switch (random.nextInt(3)) {
      case 0 -> {
        int type;
        do {
          type = random.nextInt(256);
        } while (KNOWN_MESSAGE_TYPES.contains(type));
        fields.u8(type); // message-type, undefined
      }
      case 1 -> fields
          .u8(255) // message-type QEMU
          .u8(between(random, 2, 255)); // submessage-type, undefined
      default -> fields
          .u8(255) // message-type QEMU
          .u8(1) // submessage-type audio
          .u16(between(random, 3, 0xFFFF)); // operation, undefined
    }
    return fields.randomBytes(random, random.nextInt(17)).toByteArray();
  }

  private static byte[] insert(byte[] bytes, int offset, byte[] inserted) {
    byte[] result = new byte[bytes.length + inserted.length];
    System.arraycopy(bytes, 0, result, 0, offset);
    System.arraycopy(inserted, 0, result, offset, inserted.length);
    System.arraycopy(bytes, offset, result, offset + inserted.length, bytes.length - offset);
    return result;
  }

  private static String hex(byte[] bytes) {
    int shownLength = Math.min(bytes.length, 32);
    return HexFormat.of().formatHex(bytes, 0, shownLength)
        + (shownLength < bytes.length ? "..." : "")
        + " (" + bytes.length + " bytes)";
  }

  /** One generated client message, and whether it is input, which a read-only stream drops. */
  private record Message(String name, byte[] bytes, boolean input) {}

  /**
   * Returns a control message as the gateway forwards it: a SetEncodings keeps only the encodings
   * the gateway can frame, every other message is unchanged.
   */
  private static byte[] asForwarded(byte[] message) {
    if (message[0] != 2) { // not SetEncodings
      return message;
    }
    ByteBuffer kept = FramedEncodings.keepFramed(ByteBuffer.wrap(message));
    byte[] bytes = new byte[kept.remaining()];
    kept.get(bytes);
    return bytes;
  }

  /** A message that the product's parser emitted, copied out of its buffer. */
  private record ParsedMessage(ClientMessageType type, byte[] bytes) {}

  /** What the product's parser finds in a byte stream, with the gateway's clipboard limit. */
  private static final class ParsedStream implements ClientMessageParser.Listener {
    final List<ParsedMessage> messages = new ArrayList<>();
    final List<UnknownMessage> unknown = new ArrayList<>();
    final List<Long> oversizedCutTexts = new ArrayList<>();
    final ClientMessageParser parser =
        new ClientMessageParser(ClientMessageParser.DEFAULT_CLIPBOARD_LIMIT, this);
    RfbProtocolException violation;

    /** Bytes that the emitted messages span, whatever their category. */
    long consumed;

    static ParsedStream of(byte[] bytes) {
      ParsedStream parsed = new ParsedStream();
      parsed.feed(bytes);
      return parsed;
    }

    /** Feeds more bytes unless the parser has stopped. */
    void feed(byte[] bytes) {
      if (parser.isStopped()) {
        return;
      }
      try {
        parser.feed(ByteBuffer.wrap(bytes));
      } catch (RfbProtocolException e) {
        violation = e;
      }
    }

    boolean stopped() {
      return parser.isStopped();
    }

    String stopReason() {
      return violation != null ? violation.getMessage() : unknown.toString();
    }

    /** Returns the control messages, concatenated: what a read-only stream forwards. */
    byte[] controlBytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (ParsedMessage message : messages) {
        if (message.type().category() == MessageCategory.CONTROL) {
          out.writeBytes(asForwarded(message.bytes()));
        }
      }
      return out.toByteArray();
    }

    @Override
    public void message(ClientMessage message) {
      messages.add(new ParsedMessage(message.type(), message.toByteArray()));
      consumed += message.length();
    }

    @Override
    public void oversizedCutText(long declaredLength) {
      oversizedCutTexts.add(declaredLength);
    }

    @Override
    public void unknownMessage(UnknownMessage message) {
      unknown.add(message);
    }
  }

  /** Big-endian RFB fields, appended in order. */
  private static final class Fields {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Fields u8(int value) {
      out.write(value);
      return this;
    }

    Fields u16(int value) {
      out.write(value >>> 8);
      out.write(value);
      return this;
    }

    Fields u32(long value) {
      u16((int) (value >>> 16));
      return u16((int) value);
    }

    Fields randomBytes(Random random, int count) {
      byte[] bytes = new byte[count];
      random.nextBytes(bytes);
      out.writeBytes(bytes);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /**
   * Generates valid client-to-server messages of every type the gateway frames, with random field
   * values. The layouts are those that noVNC 1.7.0 sends ({@code core/rfb.js}, {@code
   * RFB.messages}), and QEMU audio is laid out as the gateway's ClientMessageFraming documents it.
   * Which messages are input is decided here, independently of the product.
   */
  private static final class MessageGenerator {
    /** ExtendedMouseButtons pseudo-encoding (noVNC 1.7.0, {@code core/encodings.js}). */
    private static final int EXTENDED_MOUSE_BUTTONS = -316;

    /** Encodings and pseudo-encodings from noVNC 1.7.0's {@code core/encodings.js}. */
    private static final int[] ENCODINGS = {
      0, 1, 2, 5, 6, 7, 16, 21, -223, -224, -239, -258, -260, -307, -308, -309, -312, -313,
      EXTENDED_MOUSE_BUTTONS, 0xc0a1e5ce
    };

    private static final int[] BITS_PER_PIXEL = {8, 16, 32};

    private final Random random;

    /** Whether the latest SetEncodings listed ExtendedMouseButtons, so PointerEvent may grow. */
    private boolean extendedPointerEvents;

    MessageGenerator(Random random) {
      this.random = random;
    }

    /** Returns {@code count} random messages, as a viewer would send them on a new stream. */
    List<Message> sequence(int count) {
      extendedPointerEvents = false;
      List<Message> messages = new ArrayList<>(count + 1);
      for (int i = 0; i < count; i++) {
        messages.add(next());
      }
      return messages;
    }

    private Message next() {
      return switch (random.nextInt(12)) {
        case 0 -> setPixelFormat();
        case 1 -> setEncodings();
        case 2 -> framebufferUpdateRequest();
        case 3 -> enableContinuousUpdates();
        case 4 -> clientFence();
        case 5 -> qemuAudio();
        case 6 -> keyEvent();
        case 7 -> pointerEvent();
        case 8 -> clientCutText();
        case 9 -> xvp();
        case 10 -> setDesktopSize();
        default -> qemuExtendedKeyEvent();
      };
    }

    private Message setPixelFormat() {
      Fields fields =
          new Fields()
              .u8(0) // message-type SetPixelFormat
              .randomBytes(random, 3) // padding
              .u8(BITS_PER_PIXEL[random.nextInt(BITS_PER_PIXEL.length)]) // bits-per-pixel
              .u8(between(random, 1, 32)) // depth
              .u8(random.nextInt(2)) // big-endian-flag
              .u8(random.nextInt(2)) // true-colour-flag
              .u16(random.nextInt(0x10000)) // red-max
              .u16(random.nextInt(0x10000)) // green-max
              .u16(random.nextInt(0x10000)) // blue-max
              .u8(random.nextInt(32)) // red-shift
              .u8(random.nextInt(32)) // green-shift
              .u8(random.nextInt(32)) // blue-shift
              .randomBytes(random, 3); // padding
      return control("SetPixelFormat", fields);
    }

    private Message setEncodings() {
      int count = random.nextInt(65);
      Fields fields =
          new Fields()
              .u8(2) // message-type SetEncodings
              .randomBytes(random, 1) // padding
              .u16(count); // number-of-encodings
      boolean extended = false;
      for (int i = 0; i < count; i++) {
        int encoding =
            random.nextInt(4) == 0 ? random.nextInt() : ENCODINGS[random.nextInt(ENCODINGS.length)];
        fields.u32(encoding); // encoding-type, S32
        extended |= encoding == EXTENDED_MOUSE_BUTTONS;
      }
      extendedPointerEvents = extended;
      return control("SetEncodings", fields);
    }

    private Message framebufferUpdateRequest() {
      Fields fields =
          new Fields()
              .u8(3) // message-type FramebufferUpdateRequest
              .u8(random.nextInt(2)) // incremental
              .u16(random.nextInt(0x10000)) // x-position
              .u16(random.nextInt(0x10000)) // y-position
              .u16(random.nextInt(0x10000)) // width
              .u16(random.nextInt(0x10000)); // height
      return control("FramebufferUpdateRequest", fields);
    }

    private Message enableContinuousUpdates() {
      Fields fields =
          new Fields()
              .u8(150) // message-type EnableContinuousUpdates
              .u8(random.nextInt(2)) // enable-flag
              .u16(random.nextInt(0x10000)) // x-position
              .u16(random.nextInt(0x10000)) // y-position
              .u16(random.nextInt(0x10000)) // width
              .u16(random.nextInt(0x10000)); // height
      return control("EnableContinuousUpdates", fields);
    }

    private Message clientFence() {
      int length = random.nextInt(65);
      Fields fields =
          new Fields()
              .u8(248) // message-type ClientFence
              .randomBytes(random, 3) // padding
              .u32(random.nextInt()) // flags
              .u8(length) // length, at most 64
              .randomBytes(random, length); // payload
      return control("ClientFence", fields);
    }

    private Message qemuAudio() {
      int operation = random.nextInt(3);
      Fields fields =
          new Fields()
              .u8(255) // message-type QEMU
              .u8(1) // submessage-type audio
              .u16(operation); // operation: 0 enable, 1 disable, 2 set format
      if (operation == 2) {
        fields
            .u8(random.nextInt(6)) // sample-format
            .u8(between(random, 1, 2)) // number-of-channels
            .u32(random.nextInt()); // frequency
      }
      return control("QEMU audio", fields);
    }

    private Message keyEvent() {
      Fields fields =
          new Fields()
              .u8(4) // message-type KeyEvent
              .u8(random.nextInt(2)) // down-flag
              .randomBytes(random, 2) // padding
              .u32(random.nextInt()); // key: keysym
      return input("KeyEvent", fields);
    }

    private Message pointerEvent() {
      int mask = random.nextInt(256);
      Fields fields =
          new Fields()
              .u8(5) // message-type PointerEvent
              .u8(mask) // button-mask
              .u16(random.nextInt(0x10000)) // x-position
              .u16(random.nextInt(0x10000)); // y-position
      if (extendedPointerEvents && (mask & 0x80) != 0) {
        // ExtendedMouseButtons: the top bit of button-mask announces a second mask byte.
        fields.u8(random.nextInt(256)); // extended button-mask
      }
      return input("PointerEvent", fields);
    }

    private Message clientCutText() {
      int length = random.nextInt(5) == 0 ? random.nextInt(4097) : random.nextInt(65);
      boolean extendedClipboard = length > 0 && random.nextInt(4) == 0;
      Fields fields =
          new Fields()
              .u8(6) // message-type ClientCutText
              .randomBytes(random, 3) // padding
              // length. Extended Clipboard sends it negated, as an S32.
              .u32(extendedClipboard ? -length : length)
              .randomBytes(random, length); // text
      return input("ClientCutText", fields);
    }

    private Message xvp() {
      Fields fields =
          new Fields()
              .u8(250) // message-type xvp
              .randomBytes(random, 1) // padding
              .u8(random.nextInt(256)) // xvp-extension-version
              .u8(random.nextInt(256)); // xvp-message-code
      return input("xvp", fields);
    }

    private Message setDesktopSize() {
      int screens = between(random, 1, 4);
      Fields fields =
          new Fields()
              .u8(251) // message-type SetDesktopSize
              .randomBytes(random, 1) // padding
              .u16(random.nextInt(0x10000)) // width
              .u16(random.nextInt(0x10000)) // height
              .u8(screens) // number-of-screens
              .randomBytes(random, 1); // padding
      for (int i = 0; i < screens; i++) {
        fields
            .u32(random.nextInt()) // screen id
            .u16(random.nextInt(0x10000)) // x-position
            .u16(random.nextInt(0x10000)) // y-position
            .u16(random.nextInt(0x10000)) // width
            .u16(random.nextInt(0x10000)) // height
            .u32(random.nextInt()); // flags
      }
      return input("SetDesktopSize", fields);
    }

    private Message qemuExtendedKeyEvent() {
      Fields fields =
          new Fields()
              .u8(255) // message-type QEMU
              .u8(0) // submessage-type extended key event
              .u16(random.nextInt(2)) // down-flag
              .u32(random.nextInt()) // keysym
              .u32(random.nextInt()); // keycode
      return input("QEMU extended key event", fields);
    }

    private static Message control(String name, Fields fields) {
      return new Message(name, fields.toByteArray(), false);
    }

    private static Message input(String name, Fields fields) {
      return new Message(name, fields.toByteArray(), true);
    }
  }

  /** Counts of what one test sent, printed at its end. */
  private static final class Tally {
    int streams;
    int exclusiveRequests;
    int closedStreams;
    int transportErrors;
    long messages;
    long inputMessages;
    long webSocketMessages;
    long bytes;

    void print(String kind, long startNanos) {
      System.out.printf(
          "Read-only fuzz, %s: seed %d, %d streams (%d asked for exclusive access, %d closed by"
              + " the gateway, %d of them ending in a transport error), %d RFB messages (%d"
              + " input), %d WebSocket messages, %d bytes, %d ms%n",
          kind,
          SEED,
          streams,
          exclusiveRequests,
          closedStreams,
          transportErrors,
          messages,
          inputMessages,
          webSocketMessages,
          bytes,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
  }
}
