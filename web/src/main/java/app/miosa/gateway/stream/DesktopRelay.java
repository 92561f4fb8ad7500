package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.stream.handshake.HandshakeException;
import app.miosa.gateway.stream.handshake.ServerHandshake;
import app.miosa.gateway.stream.rfb.RfbProtocolException;
import app.miosa.gateway.stream.rfb.ServerMessageFramer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.logging.Logger;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Relays bytes between one viewer's WebSocket and a VNC server's {@link UpstreamChannel} without
 * holding a thread: reads and writes are asynchronous and each completion starts the next step.
 * The server's first bytes go to the gateway's own handshake with it, not to the viewer.
 *
 * <p>Desktop to viewer: one buffer is read, sent as one binary message, and only then reused, so a
 * slow viewer slows the reads instead of filling memory. Viewer to desktop: messages queue while a
 * write is in flight, up to {@link #MAX_QUEUED_INPUT_BYTES}.
 */
final class DesktopRelay extends ViewerRelay {
  /** Size of the desktop-to-viewer read buffer, and so of the largest binary message sent. */
  static final int READ_BUFFER_BYTES = 64 * 1024;

  /** PIXEL_FORMAT is 16 bytes, at offset 4 of ServerInit and of SetPixelFormat (RFC 6143). */
  static final int PIXEL_FORMAT_LENGTH = 16;

  private static final Logger LOG = Logger.getLogger(DesktopRelay.class.getName());

  /** Viewer input waiting for the socket beyond this ends the stream. */
  static final long MAX_QUEUED_INPUT_BYTES = 4L * 1024 * 1024;

  private final ServerHandshake handshake;
  private final BiConsumer<byte[], ByteBuffer> onDesktopReady;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);

  /** Bytes the framer passes on from one read; never more than the read itself. */
  private final ByteBuffer viewerBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);

  private final ServerMessageFramer framer;

  private final Queue<ByteBuffer> queuedInput = new ArrayDeque<>();
  private long queuedInputBytes;
  private boolean connected;
  private boolean writing;

  /** Continues the relay once a message to the viewer has gone; one for every send. */
  private final SendHandler afterSend = result -> afterSend(result.isOK(), result.getException());

  private final AtomicLong bytesToViewer = new AtomicLong();
  private final AtomicLong bytesToDesktop = new AtomicLong();

  /**
   * @param handshake the handshake with the VNC server, run on the first bytes it sends
   * @param onDesktopReady called once the handshake is done, with ServerInit and any bytes the
   *     server sent after it; reading pauses until {@link #startRelaying} is called
   * @param onClose called once, with the reason the stream ended, after both sides are closed
   */
  DesktopRelay(
      Session session,
      UpstreamChannel channel,
      ServerHandshake handshake,
      BiConsumer<byte[], ByteBuffer> onDesktopReady,
      Consumer<CloseReason> onClose,
      long clipboardLimit,
      String streamName) {
    super(session, channel, onClose);
    this.framer = new ServerMessageFramer(clipboardLimit, new ViewerOutput(streamName));
    this.handshake = handshake;
    this.onDesktopReady = onDesktopReady;
  }

  /**
   * Sends {@code first} to the viewer, then relays everything the VNC server sends. Called once,
   * after {@code onDesktopReady}, when the viewer's handshake is done too.
   */
  void startRelaying(byte[] serverInit, ByteBuffer rest) {
    setPixelFormat(Arrays.copyOfRange(serverInit, 4, 4 + PIXEL_FORMAT_LENGTH));
    ByteBuffer first = ByteBuffer.allocate(serverInit.length + rest.remaining());
    first.put(serverInit);
    viewerBuffer.clear();
    if (!frame(rest)) {
      return;
    }
    first.put(viewerBuffer.flip()).flip();
    bytesToViewer.addAndGet(first.remaining());
    sendToViewer(first);
  }

  /**
   * Sets the pixel format the VNC server now uses: the 16-byte PIXEL_FORMAT of ServerInit, and
   * later of each SetPixelFormat the viewer sends.
   */
  void setPixelFormat(byte[] pixelFormat) {
    synchronized (framer) {
      framer.setPixelFormat(pixelFormat);
    }
  }

  /** Connects to the VNC server; viewer input arriving before that is queued. */
  void connect() {
    connect(Failure.COMPUTER_UNREACHABLE);
  }

  /** Forwards one binary message from the viewer to the VNC server. */
  void sendToDesktop(ByteBuffer message) {
    ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
    boolean overflow;
    synchronized (this) {
      queuedInput.add(copy);
      queuedInputBytes += copy.remaining();
      overflow = queuedInputBytes > MAX_QUEUED_INPUT_BYTES;
      if (!overflow && connected && !writing) {
        writing = true;
        writeNext();
      }
    }
    if (overflow) {
      close(
          Failure.COMPUTER_UNREACHABLE,
          "The VNC server is not reading: over " + MAX_QUEUED_INPUT_BYTES + " bytes of input queued");
    }
  }

  long bytesToViewer() {
    return bytesToViewer.get();
  }

  long bytesToDesktop() {
    return bytesToDesktop.get();
  }

  @Override
  void onConnected() {
    synchronized (this) {
      connected = true;
      if (!queuedInput.isEmpty() && !writing) {
        writing = true;
        writeNext();
      }
    }
    readFromDesktop();
  }

  /** Writes the head of the queue; called holding the lock with {@code writing} set. */
  private void writeNext() {
    ByteBuffer head = queuedInput.peek();
    channel.write(
        head,
        new CompletionHandler<Integer, Void>() {
          @Override
          public void completed(Integer written, Void attachment) {
            bytesToDesktop.addAndGet(written);
            synchronized (DesktopRelay.this) {
              queuedInputBytes -= written;
              if (!head.hasRemaining()) {
                queuedInput.remove();
              }
              if (queuedInput.isEmpty() || isClosed()) {
                writing = false;
              } else {
                writeNext();
              }
            }
          }

          @Override
          public void failed(Throwable e, Void attachment) {
            close(Failure.COMPUTER_UNREACHABLE, "Writing to the VNC server failed: " + e);
          }
        });
  }

  private void readFromDesktop() {
    readBuffer.clear();
    channel.read(
        readBuffer,
        new CompletionHandler<Integer, Void>() {
          @Override
          public void completed(Integer read, Void attachment) {
            if (read < 0) {
              close(
                  new CloseReason(
                      CloseReason.CloseCodes.NORMAL_CLOSURE, "The desktop closed the connection"),
                  "The VNC server closed the connection");
              return;
            }
            readBuffer.flip();
            if (!handshake.isDone()) {
              continueHandshake();
              return;
            }
            viewerBuffer.clear();
            if (!frame(readBuffer)) {
              return;
            }
            viewerBuffer.flip();
            if (!viewerBuffer.hasRemaining()) {
              readFromDesktop();
              return;
            }
            bytesToViewer.addAndGet(viewerBuffer.remaining());
            sendToViewer(viewerBuffer);
          }

          @Override
          public void failed(Throwable e, Void attachment) {
            close(Failure.COMPUTER_UNREACHABLE, "Reading from the VNC server failed: " + e);
          }
        });
  }

  /**
   * Passes server bytes through the framer into {@link #viewerBuffer}. Returns false, having
   * closed the stream, when the server breaks the protocol.
   */
  private boolean frame(ByteBuffer fromServer) {
    try {
      synchronized (framer) {
        framer.feed(fromServer);
      }
      return true;
    } catch (RfbProtocolException e) {
      close(Failure.DESKTOP_PROTOCOL_ERROR, e.getMessage());
      return false;
    }
  }

  /** Copies what the framer forwards into the viewer buffer and logs dropped clipboard text. */
  private final class ViewerOutput implements ServerMessageFramer.Listener {
    private final String streamName;

    ViewerOutput(String streamName) {
      this.streamName = streamName;
    }

    @Override
    public void forward(ByteBuffer bytes) {
      viewerBuffer.put(bytes);
    }

    @Override
    public void oversizedCutText(long declaredLength) {
      LOG.info(
          () ->
              "Dropped clipboard text of "
                  + declaredLength
                  + " bytes from the desktop of "
                  + streamName
                  + ": over the clipboard limit");
    }
  }

  private void continueHandshake() {
    ByteBuffer reply;
    try {
      reply = handshake.feed(readBuffer);
    } catch (HandshakeException e) {
      close(Failure.DESKTOP_HANDSHAKE_FAILED, e.getMessage());
      return;
    }
    if (reply.hasRemaining()) {
      sendToDesktop(reply);
    }
    if (handshake.isDone()) {
      onDesktopReady.accept(handshake.serverInit(), handshake.remaining());
    } else {
      readFromDesktop();
    }
  }

  /** Sends one binary message to the viewer; the next read starts when it has gone. */
  private void sendToViewer(ByteBuffer message) {
    RelayClassLoader.send(session, message, afterSend);
  }

  private void afterSend(boolean ok, Throwable error) {
    if (!ok) {
      viewerSendFailed(error);
      return;
    }
    if (!isClosed()) {
      readFromDesktop();
    }
  }
}
