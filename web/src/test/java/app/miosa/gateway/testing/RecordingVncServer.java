package app.miosa.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fake VNC server on 127.0.0.1 that records what its clients send. It performs the server side
 * of an RFB 3.8 handshake (RFC 6143, sections 7.1 and 7.3) with security type None, then stores
 * every byte that arrives after ClientInit, per connection. It sends nothing after ServerInit, so
 * no framebuffer updates.
 *
 * <p>Each connection is served by its own thread. At most {@link #MAX_OPEN_CONNECTIONS} are open
 * at once, and a connection over that limit is closed unanswered. {@link #close()} closes every
 * socket and waits for the threads to end.
 */
public final class RecordingVncServer implements AutoCloseable {
  /** Framebuffer width in ServerInit, in pixels. */
  public static final int WIDTH = 64;

  /** Framebuffer height in ServerInit, in pixels. */
  public static final int HEIGHT = 48;

  /** Desktop name in ServerInit. */
  public static final String NAME = "fake";

  /** Maximum number of connections served at once. A connection over it is closed unanswered. */
  public static final int MAX_OPEN_CONNECTIONS = 32;

  /** The client's handshake messages must arrive within this time. */
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

  private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(5);

  /** ProtocolVersion "RFB 003.008\n": 12 ASCII bytes (RFC 6143, section 7.1.1). */
  private static final byte[] VERSION_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket serverSocket;
  private final Thread acceptThread;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Thread> connectionThreads = new ArrayList<>();
  private int openConnections;
  private int rejectedConnections;
  private boolean closed;

  private RecordingVncServer(ServerSocket serverSocket) {
    this.serverSocket = serverSocket;
    this.acceptThread = new Thread(this::acceptLoop, "recording-vnc-accept");
    this.acceptThread.setDaemon(true);
  }

  /** Binds a free port on 127.0.0.1 and starts accepting connections. */
  public static RecordingVncServer start() throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    RecordingVncServer server = new RecordingVncServer(socket);
    server.acceptThread.start();
    return server;
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  /** Returns the {@code vnc_url} under which a computer reaches this server. */
  public String vncUrl() {
    return "tcp://127.0.0.1:" + port();
  }

  /** Returns the connections accepted so far, in the order they arrived. */
  public synchronized List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Returns how many connections were closed unanswered because too many were open. */
  public synchronized int rejectedConnections() {
    return rejectedConnections;
  }

  /**
   * Waits until the connection with the given index (0 for the first) has been accepted and
   * returns it.
   *
   * @throws AssertionError when it does not arrive within {@code timeout}
   */
  public synchronized Connection awaitConnection(int index, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (connections.size() <= index && !closed) {
      long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (waitMillis <= 0) {
        break;
      }
      wait(waitMillis);
    }
    if (connections.size() <= index) {
      throw new AssertionError(
          "Expected connection "
              + index
              + " to the fake VNC server within "
              + timeout
              + ", but only "
              + connections.size()
              + " arrived");
    }
    return connections.get(index);
  }

  /** Closes the listening socket and every connection, then waits for their threads to end. */
  @Override
  public void close() throws IOException {
    List<Connection> toClose;
    List<Thread> toJoin;
    synchronized (this) {
      closed = true;
      toClose = List.copyOf(connections);
      toJoin = List.copyOf(connectionThreads);
      notifyAll();
    }
    serverSocket.close();
    for (Connection connection : toClose) {
      connection.closeSocket();
    }
    try {
      acceptThread.join(THREAD_STOP_TIMEOUT.toMillis());
      for (Thread thread : toJoin) {
        thread.join(THREAD_STOP_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // close() closed the listening socket.
      }
      startConnection(socket);
    }
  }

  private void startConnection(Socket socket) {
    synchronized (this) {
      if (closed || openConnections >= MAX_OPEN_CONNECTIONS) {
        rejectedConnections++;
        closeQuietly(socket);
        return;
      }
      openConnections++;
      Connection connection = new Connection(socket);
      Thread thread =
          new Thread(() -> serve(connection), "recording-vnc-" + connections.size());
      thread.setDaemon(true);
      connections.add(connection);
      connectionThreads.add(thread);
      notifyAll();
      thread.start();
    }
  }

  private void serve(Connection connection) {
    try {
      connection.handshake();
      connection.record();
    } catch (IOException e) {
      connection.fail(e);
    } finally {
      connection.end();
      synchronized (this) {
        openConnections--;
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // The socket is discarded either way.
    }
  }

  /** One client connection: its handshake values and the bytes it sent after ClientInit. */
  public static final class Connection {
    private final Socket socket;
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    private String clientVersion;
    private int securityType = -1;
    private int sharedFlag = -1;
    private String failure;
    private boolean ended;

    private Connection(Socket socket) {
      this.socket = socket;
    }

    /** Sends server-to-client messages to the client, after the handshake. */
    public void send(byte[] messages) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(messages);
      out.flush();
    }

    /** Returns the client's ProtocolVersion without its newline, or null before it arrived. */
    public synchronized String clientVersion() {
      return clientVersion;
    }

    /** Returns the security type the client chose, or -1 before it arrived. */
    public synchronized int securityType() {
      return securityType;
    }

    /** Returns the shared flag of the client's ClientInit, or -1 before it arrived. */
    public synchronized int sharedFlag() {
      return sharedFlag;
    }

    /** Returns why the handshake or the connection failed, or null while nothing failed. */
    public synchronized String failure() {
      return failure;
    }

    /** Returns whether the connection has ended, because the client closed it or it failed. */
    public synchronized boolean ended() {
      return ended;
    }

    /** Returns a copy of every byte received after ClientInit, in order. */
    public synchronized byte[] recorded() {
      return recorded.toByteArray();
    }

    public synchronized int recordedLength() {
      return recorded.size();
    }

    /**
     * Waits until at least {@code length} bytes have been recorded, the connection ends or the
     * timeout passes, and returns whether {@code length} bytes were recorded.
     */
    public synchronized boolean awaitRecorded(long length, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (recorded.size() < length && !ended) {
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (waitMillis <= 0) {
          break;
        }
        wait(waitMillis);
      }
      return recorded.size() >= length;
    }

    /** Waits until the connection ends and returns whether it did within {@code timeout}. */
    public synchronized boolean awaitEnd(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!ended) {
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (waitMillis <= 0) {
          break;
        }
        wait(waitMillis);
      }
      return ended;
    }

    /** Runs the server side of the RFB 3.8 handshake with security type None. */
    private void handshake() throws IOException {
      socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();

      out.write(VERSION_3_8); // ProtocolVersion
      out.flush();
      byte[] version = new byte[VERSION_3_8.length];
      in.readFully(version); // the client's ProtocolVersion
      synchronized (this) {
        clientVersion = new String(version, StandardCharsets.US_ASCII).strip();
      }

      out.write(
          new byte[] {
            1, // number-of-security-types
            1 // security-types: None
          });
      out.flush();
      int chosen = in.readUnsignedByte(); // the client's security-type
      synchronized (this) {
        securityType = chosen;
      }
      if (chosen != 1) {
        throw new IOException("The client chose security type " + chosen + " instead of None (1)");
      }

      out.write(new byte[] {0, 0, 0, 0}); // SecurityResult: u32 status 0, OK
      out.flush();
      int shared = in.readUnsignedByte(); // ClientInit: u8 shared-flag
      synchronized (this) {
        sharedFlag = shared;
      }

      out.write(serverInit());
      out.flush();
      socket.setSoTimeout(0); // From here on the client sends only when its viewer does.
    }

    private static byte[] serverInit() {
      byte[] name = NAME.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      message.writeBytes(
          new byte[] {
            0, WIDTH, // framebuffer-width
            0, HEIGHT, // framebuffer-height
            32, // pixel format: bits-per-pixel
            24, // depth
            0, // big-endian-flag
            1, // true-colour-flag
            0, (byte) 255, // red-max
            0, (byte) 255, // green-max
            0, (byte) 255, // blue-max
            16, // red-shift
            8, // green-shift
            0, // blue-shift
            0, 0, 0, // padding
            0, 0, 0, (byte) name.length // name-length
          });
      message.writeBytes(name); // name-string
      return message.toByteArray();
    }

    /** Stores everything the client sends until it closes the connection. */
    private void record() throws IOException {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        synchronized (this) {
          recorded.write(buffer, 0, read);
          notifyAll();
        }
      }
    }

    private synchronized void fail(IOException e) {
      if (e instanceof SocketException && socket.isClosed()) {
        return; // close() of the server ended the connection.
      }
      failure = e.toString();
    }

    private void end() {
      closeQuietly(socket);
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }

    private void closeSocket() {
      closeQuietly(socket);
    }
  }
}
