package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fast fake VNC server on 127.0.0.1, served by one selector thread: RFB 3.8 (RFC 6143) with
 * security type None and a ServerInit of 1920x1080 at 32 bits per pixel.
 *
 * <p>It runs in one of two modes. On request, it responds to every FramebufferUpdateRequest with one
 * FramebufferUpdate of one Raw rectangle covering the requested region, incremental or not: 8 MB
 * for the whole screen, 20 bytes for a 1x1 region. Paced, it ignores the content of requests and,
 * from the first one on, sends each connection an update of one Raw rectangle at a fixed interval,
 * with the first 8 pixel bytes set to {@link System#nanoTime()} at the moment the update is made.
 * A client in the same JVM subtracts that from its own clock on receipt.
 *
 * <p>Pixel bytes of request-mode updates come from one shared buffer, so an 8 MB update costs
 * only the socket writes.
 */
final class FakeVncServer implements AutoCloseable {
  static final int WIDTH = 1920;
  static final int HEIGHT = 1080;
  static final int BYTES_PER_PIXEL = 4;

  /** A paced connection whose unsent updates exceed this count skips making new ones. */
  static final int MAX_PACED_BACKLOG = 20;

  private static final Logger LOG = Logger.getLogger(FakeVncServer.class.getName());
  private static final byte[] VERSION_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NAME = "benchmark".getBytes(StandardCharsets.US_ASCII);

  /** FramebufferUpdate header (4 bytes) plus one rectangle header (12 bytes). */
  private static final int UPDATE_HEADER_BYTES = 16;

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final Thread thread;
  private final ByteBuffer pixels;

  /**
   * A paced update reused for every connection whose output queue is empty. It is direct, so a
   * socket write copies it only once.
   */
  private final ByteBuffer pacedUpdate;
  private final long pacedIntervalNanos;
  private final int pacedWidth;
  private final int pacedHeight;
  private final List<Connection> connections = new ArrayList<>();
  private final AtomicLong skippedUpdates = new AtomicLong();
  private volatile boolean closed;

  private FakeVncServer(long pacedIntervalNanos, int pacedWidth, int pacedHeight)
      throws IOException {
    this.pacedIntervalNanos = pacedIntervalNanos;
    this.pacedWidth = pacedWidth;
    this.pacedHeight = pacedHeight;
    this.pixels = ByteBuffer.allocateDirect(
        pacedIntervalNanos > 0 ? 0 : WIDTH * HEIGHT * BYTES_PER_PIXEL);
    for (int i = 0; i < pixels.capacity(); i++) {
      pixels.put(i, (byte) (i * 31 + (i >>> 12)));
    }
    this.pacedUpdate = ByteBuffer.allocateDirect(
        pacedIntervalNanos > 0 ? UPDATE_HEADER_BYTES + pacedWidth * pacedHeight * BYTES_PER_PIXEL
            : 0);
    this.selector = Selector.open();
    this.listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    listener.configureBlocking(false);
    listener.register(selector, SelectionKey.OP_ACCEPT);
    this.thread = new Thread(this::run, "fake-vnc-" + port());
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a server that responds to each update request with the requested region. */
  static FakeVncServer onRequest() throws IOException {
    return new FakeVncServer(0, 0, 0);
  }

  /**
   * Starts a server that sends each connection, after its first update request, a {@code width}
   * by {@code height} Raw rectangle every {@code intervalMillis} milliseconds.
   */
  static FakeVncServer paced(int intervalMillis, int width, int height) throws IOException {
    return new FakeVncServer(TimeUnit.MILLISECONDS.toNanos(intervalMillis), width, height);
  }

  int port() {
    return listener.socket().getLocalPort();
  }

  /** Returns the {@code vnc_url} under which the gateway reaches this server. */
  String vncUrl() {
    return "tcp://127.0.0.1:" + port();
  }

  /** Returns how many paced updates were not made because their connection's backlog was full. */
  long skippedUpdates() {
    return skippedUpdates.get();
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!closed) {
        long timeoutMillis = pacedIntervalNanos > 0 ? nextPacedDelayMillis() : 0;
        selector.select(timeoutMillis);
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        if (pacedIntervalNanos > 0) {
          sendDuePacedUpdates();
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.log(Level.SEVERE, "The fake VNC server on port " + port() + " failed", e);
      }
    } finally {
      closeAll();
    }
  }

  private void handle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    if (key.isAcceptable()) {
      accept();
      return;
    }
    Connection connection = (Connection) key.attachment();
    try {
      if (key.isReadable()) {
        connection.read();
      }
      if (key.isValid() && key.isWritable()) {
        connection.flush();
      }
    } catch (IOException e) {
      connection.close();
    }
  }

  private void accept() {
    try {
      SocketChannel channel;
      while ((channel = listener.accept()) != null) {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Connection connection = new Connection(channel);
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        connections.add(connection);
        connection.send(ByteBuffer.wrap(VERSION_3_8));
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Accepting a connection on port " + port() + " failed", e);
    }
  }

  private long nextPacedDelayMillis() {
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (Connection connection : connections) {
      if (connection.nextPacedNanos > 0) {
        next = Math.min(next, connection.nextPacedNanos);
      }
    }
    if (next == Long.MAX_VALUE) {
      return 100;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now + 999_999));
  }

  private void sendDuePacedUpdates() {
    long now = System.nanoTime();
    for (Connection connection : new ArrayList<>(connections)) {
      if (connection.nextPacedNanos > 0 && connection.nextPacedNanos <= now) {
        connection.nextPacedNanos += pacedIntervalNanos;
        if (connection.nextPacedNanos < now) {
          // This thread fell behind by more than an interval: skip ahead instead of bursting.
          connection.nextPacedNanos = now + pacedIntervalNanos;
        }
        if (connection.output.size() >= MAX_PACED_BACKLOG) {
          skippedUpdates.incrementAndGet();
          continue;
        }
        try {
          connection.sendPacedUpdate();
        } catch (IOException e) {
          connection.close();
        }
      }
    }
  }

  /** Fills {@link #pacedUpdate} with a header and the current time and returns it, rewound. */
  private ByteBuffer stampPacedUpdate() {
    pacedUpdate.clear();
    putUpdateHeader(pacedUpdate, 0, 0, pacedWidth, pacedHeight);
    pacedUpdate.putLong(System.nanoTime());
    return pacedUpdate.position(0);
  }

  private static void putUpdateHeader(ByteBuffer buffer, int x, int y, int w, int h) {
    buffer.put((byte) 0); // message-type FramebufferUpdate
    buffer.put((byte) 0); // padding
    buffer.putShort((short) 1); // number-of-rectangles
    buffer.putShort((short) x);
    buffer.putShort((short) y);
    buffer.putShort((short) w);
    buffer.putShort((short) h);
    buffer.putInt(0); // encoding-type Raw
  }

  private static ByteBuffer serverInit() {
    ByteBuffer message = ByteBuffer.allocate(24 + NAME.length);
    message.putShort((short) WIDTH);
    message.putShort((short) HEIGHT);
    message.put(
        new byte[] {
          32, // bits-per-pixel
          24, // depth
          0, // big-endian-flag
          1, // true-colour-flag
          0, (byte) 255, // red-max
          0, (byte) 255, // green-max
          0, (byte) 255, // blue-max
          16, 8, 0, // red, green and blue shifts
          0, 0, 0 // padding
        });
    message.putInt(NAME.length);
    message.put(NAME);
    return message.flip();
  }

  private void closeAll() {
    for (Connection connection : new ArrayList<>(connections)) {
      connection.close();
    }
    try {
      listener.close();
      selector.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "Closing the fake VNC server failed", e);
    }
  }

  private enum State {
    VERSION,
    SECURITY,
    CLIENT_INIT,
    MESSAGES
  }

  /** One client: its handshake state, unparsed input and queued output. */
  private final class Connection {
    private final SocketChannel channel;
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private SelectionKey key;
    private State state = State.VERSION;

    /** When the next paced update is due, in nanoseconds; 0 before the first request. */
    private long nextPacedNanos;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void read() throws IOException {
      int read = channel.read(input);
      if (read < 0) {
        close();
        return;
      }
      input.flip();
      while (parseOne()) {
        // Each call consumes one complete handshake step or client message.
      }
      input.compact();
    }

    /** Consumes one complete unit of input, if there is one, and returns whether it did. */
    private boolean parseOne() throws IOException {
      int available = input.remaining();
      switch (state) {
        case VERSION -> {
          if (available < VERSION_3_8.length) {
            return false;
          }
          input.position(input.position() + VERSION_3_8.length);
          send(ByteBuffer.wrap(new byte[] {1, 1})); // one security type: None
          state = State.SECURITY;
          return true;
        }
        case SECURITY -> {
          if (available < 1) {
            return false;
          }
          int chosen = input.get() & 0xFF;
          if (chosen != 1) {
            throw new IOException("The client chose security type " + chosen);
          }
          send(ByteBuffer.wrap(new byte[4])); // SecurityResult OK
          state = State.CLIENT_INIT;
          return true;
        }
        case CLIENT_INIT -> {
          if (available < 1) {
            return false;
          }
          input.get(); // shared-flag
          send(serverInit());
          state = State.MESSAGES;
          return true;
        }
        default -> {
          return parseMessage(available);
        }
      }
    }

    private boolean parseMessage(int available) throws IOException {
      if (available < 1) {
        return false;
      }
      int start = input.position();
      int type = input.get(start) & 0xFF;
      int length;
      switch (type) {
        case 0 -> length = 20; // SetPixelFormat
        case 2 -> length = available < 4 ? -1 : 4 + 4 * (input.getShort(start + 2) & 0xFFFF);
        case 3 -> length = 10; // FramebufferUpdateRequest
        case 4 -> length = 8; // KeyEvent
        case 5 -> length = 6; // PointerEvent
        case 6 -> length = available < 8 ? -1 : 8 + input.getInt(start + 4); // ClientCutText
        default -> throw new IOException("Unknown client message type " + type);
      }
      if (length < 0 || available < length) {
        return false;
      }
      if (type == 3) {
        updateRequested(
            input.getShort(start + 2) & 0xFFFF,
            input.getShort(start + 4) & 0xFFFF,
            input.getShort(start + 6) & 0xFFFF,
            input.getShort(start + 8) & 0xFFFF);
      }
      input.position(start + length);
      return true;
    }

    private void updateRequested(int x, int y, int w, int h) throws IOException {
      if (pacedIntervalNanos > 0) {
        if (nextPacedNanos == 0) {
          nextPacedNanos = System.nanoTime();
        }
        return;
      }
      x = Math.min(x, WIDTH);
      y = Math.min(y, HEIGHT);
      w = Math.min(w, WIDTH - x);
      h = Math.min(h, HEIGHT - y);
      ByteBuffer header = ByteBuffer.allocate(UPDATE_HEADER_BYTES);
      putUpdateHeader(header, x, y, w, h);
      output.add(header.flip());
      output.add(pixels.duplicate().position(0).limit(w * h * BYTES_PER_PIXEL));
      flush();
    }

    /**
     * Writes a paced update straight from the shared buffer when nothing is queued, and queues a
     * copy of what the socket did not take.
     */
    void sendPacedUpdate() throws IOException {
      ByteBuffer update = stampPacedUpdate();
      if (output.isEmpty()) {
        channel.write(update);
        if (!update.hasRemaining()) {
          return;
        }
      }
      send(ByteBuffer.allocate(update.remaining()).put(update).flip());
    }

    void send(ByteBuffer message) throws IOException {
      output.add(message);
      flush();
    }

    void flush() throws IOException {
      while (!output.isEmpty()) {
        ByteBuffer head = output.peek();
        channel.write(head);
        if (head.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
          return;
        }
        output.remove();
      }
      key.interestOps(SelectionKey.OP_READ);
    }

    void close() {
      connections.remove(this);
      nextPacedNanos = 0;
      try {
        channel.close();
      } catch (IOException e) {
        // The connection is dropped either way.
      }
    }
  }
}
