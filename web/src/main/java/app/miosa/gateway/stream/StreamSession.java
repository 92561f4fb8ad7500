package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.stream.handshake.HandshakeException;
import app.miosa.gateway.stream.handshake.ViewerHandshake;
import app.miosa.gateway.stream.rfb.ClientMessage;
import app.miosa.gateway.stream.rfb.ClientMessageParser;
import app.miosa.gateway.stream.rfb.ClientMessageType;
import app.miosa.gateway.stream.rfb.MessageCategory;
import app.miosa.gateway.stream.rfb.RfbProtocolException;
import app.miosa.gateway.stream.rfb.UnknownMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One viewer's stream after the ticket check: the handshake with the viewer, the hand-over to the
 * relay once both handshakes are done, and the filter on every message the viewer sends.
 *
 * <p>Every client message is parsed whole before it goes on. On a read-only stream input messages
 * (keys, pointer, clipboard, desktop size, QEMU keys, xvp) are dropped and counted, and a message
 * the parser does not know ends the stream with 4008, so read-only fails closed. An interactive
 * stream forwards every message; after an unknown one it forwards the rest unparsed, because the
 * parser can no longer find where messages start. Clipboard text over the limit is dropped on both.
 */
final class StreamSession implements ClientMessageParser.Listener {
  private static final Logger LOG = Logger.getLogger(StreamSession.class.getName());

  private final Session viewer;
  private final String streamName;
  private final boolean readOnly;
  private final ViewerHandshake viewerHandshake = new ViewerHandshake();
  private final ClientMessageParser parser;
  private final AtomicLong droppedInput = new AtomicLong();
  private final AtomicLong bytesFromViewer = new AtomicLong();
  private final AtomicLong handshakeBytesToViewer = new AtomicLong();

  private DesktopRelay relay;
  private byte[] desktopServerInit;
  private ByteBuffer desktopRest;
  private ByteBuffer viewerEarlyBytes;
  private boolean relaying;
  private boolean passThrough;

  /**
   * @param streamName ticket and computer, for log lines
   * @param clipboardLimit largest clipboard text forwarded, in bytes
   */
  StreamSession(Session viewer, String streamName, boolean readOnly, long clipboardLimit) {
    this.viewer = viewer;
    this.streamName = streamName;
    this.readOnly = readOnly;
    this.parser = new ClientMessageParser(clipboardLimit, this);
  }

  void attach(DesktopRelay relay) {
    this.relay = relay;
  }

  /** Sends the gateway's ProtocolVersion, which opens the viewer's handshake. */
  void greet() throws IOException {
    ByteBuffer greeting = ViewerHandshake.greeting();
    handshakeBytesToViewer.addAndGet(greeting.remaining());
    RelayClassLoader.send(viewer, greeting);
  }

  long droppedInput() {
    return droppedInput.get();
  }

  /** Returns the bytes of the gateway's own handshake with the viewer sent so far. */
  long handshakeBytesToViewer() {
    return handshakeBytesToViewer.get();
  }

  /** Returns the bytes received from the viewer so far, handshake included. */
  long bytesFromViewer() {
    return bytesFromViewer.get();
  }

  /** Takes one binary message from the viewer. */
  synchronized void fromViewer(ByteBuffer data) {
    bytesFromViewer.addAndGet(data.remaining());
    try {
      if (!viewerHandshake.isDone()) {
        data = continueViewerHandshake(data);
        if (data == null) {
          return;
        }
      }
      if (!relaying) {
        // A well-behaved viewer waits for ServerInit; keep what it sent early until then.
        viewerEarlyBytes = append(viewerEarlyBytes, data);
        if (viewerEarlyBytes == null) {
          relay.close(Failure.VIEWER_PROTOCOL_ERROR, "The viewer sent too much before ServerInit");
        }
        return;
      }
      forward(data);
    } catch (HandshakeException e) {
      relay.close(Failure.VIEWER_PROTOCOL_ERROR, e.getMessage());
    } catch (RfbProtocolException e) {
      relay.close(Failure.INPUT_NOT_ALLOWED, e.getMessage());
    } catch (IOException e) {
      relay.close(Failure.VIEWER_PROTOCOL_ERROR, "Sending to the viewer failed: " + e);
    }
  }

  /** Takes ServerInit and what followed it, once the VNC server's handshake is done. */
  synchronized void desktopReady(byte[] serverInit, ByteBuffer rest) {
    desktopServerInit = serverInit;
    desktopRest = ByteBuffer.allocate(rest.remaining()).put(rest).flip();
    startWhenBothReady();
  }

  @Override
  public void message(ClientMessage message) {
    if (readOnly && message.category() == MessageCategory.INPUT) {
      droppedInput.incrementAndGet();
      return;
    }
    if (message.type() == ClientMessageType.SET_ENCODINGS) {
      relay.sendToDesktop(FramedEncodings.keepFramed(message.bytes()));
      return;
    }
    if (message.type() == ClientMessageType.SET_PIXEL_FORMAT) {
      byte[] bytes = message.toByteArray();
      relay.setPixelFormat(
          Arrays.copyOfRange(bytes, 4, 4 + DesktopRelay.PIXEL_FORMAT_LENGTH));
    }
    relay.sendToDesktop(message.bytes());
  }

  @Override
  public void oversizedCutText(long declaredLength) {
    LOG.info(
        () ->
            "Dropped clipboard text of "
                + declaredLength
                + " bytes from the viewer of "
                + streamName
                + ": over the clipboard limit");
  }

  @Override
  public void unknownMessage(UnknownMessage message) {
    if (readOnly) {
      relay.close(Failure.INPUT_NOT_ALLOWED, message + " on a read-only stream");
      return;
    }
    relay.sendToDesktop(message.bytes());
    passThrough = true;
  }

  /** Returns the bytes after ClientInit, or null while the viewer's handshake goes on. */
  private ByteBuffer continueViewerHandshake(ByteBuffer data)
      throws HandshakeException, IOException {
    ByteBuffer reply = viewerHandshake.feed(data);
    if (reply.hasRemaining()) {
      handshakeBytesToViewer.addAndGet(reply.remaining());
      RelayClassLoader.send(viewer, reply);
    }
    if (!viewerHandshake.isDone()) {
      return null;
    }
    ByteBuffer rest = viewerHandshake.remaining();
    startWhenBothReady();
    return rest;
  }

  private void startWhenBothReady() {
    if (relaying || desktopServerInit == null || !viewerHandshake.isDone()) {
      return;
    }
    relaying = true;
    relay.startRelaying(desktopServerInit, desktopRest);
    desktopServerInit = null;
    desktopRest = null;
    if (viewerEarlyBytes != null) {
      ByteBuffer early = viewerEarlyBytes;
      viewerEarlyBytes = null;
      try {
        forward(early);
      } catch (RfbProtocolException e) {
        relay.close(Failure.INPUT_NOT_ALLOWED, e.getMessage());
      }
    }
  }

  private void forward(ByteBuffer data) throws RfbProtocolException {
    if (passThrough) {
      relay.sendToDesktop(data);
      return;
    }
    if (!parser.isStopped()) {
      parser.feed(data);
    }
    if (passThrough && data.hasRemaining()) {
      relay.sendToDesktop(data);
    }
  }

  /** Returns the queued bytes followed by {@code data}, or null when that is over the limit. */
  private static ByteBuffer append(ByteBuffer queued, ByteBuffer data) {
    long size = (queued == null ? 0 : queued.remaining()) + (long) data.remaining();
    if (size > DesktopRelay.MAX_QUEUED_INPUT_BYTES) {
      return null;
    }
    ByteBuffer joined = ByteBuffer.allocate((int) size);
    if (queued != null) {
      joined.put(queued);
    }
    return joined.put(data).flip();
  }
}
