package app.miosa.gateway.stream.handshake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The gateway's side of the handshake with the viewer, as an RFB server offering only security
 * type None: the gateway has authenticated to the VNC server itself, so the viewer needs no
 * password.
 *
 * <pre>
 * gateway: ProtocolVersion "RFB 003.008\n"          viewer: ProtocolVersion (3.3, 3.7 or 3.8)
 * 3.7+: u8 count 1, u8 type None (1)                  viewer: u8 chosen type, must be 1
 * 3.3:  u32 type None (1)
 * 3.8:  SecurityResult u32 0
 *                                                     viewer: ClientInit u8 shared flag
 * ServerInit, copied from the VNC server once its handshake is done
 * </pre>
 *
 * The viewer's shared flag is read and ignored: the gateway always requests a shared session from the VNC server.
 */
public final class ViewerHandshake {
  private enum State {
    VERSION,
    SECURITY_CHOICE,
    CLIENT_INIT,
    DONE
  }

  private final ByteQueue received = new ByteQueue();
  private State state = State.VERSION;
  private int minor;

  /** Returns the gateway's ProtocolVersion, sent as soon as the WebSocket opens. */
  public static ByteBuffer greeting() {
    return ByteBuffer.wrap(RfbVersion.message(8));
  }

  /**
   * Consumes bytes from the viewer and returns the bytes to send back, possibly none.
   *
   * @throws HandshakeException when the viewer speaks no supported version or picks another
   *     security type than None
   */
  public ByteBuffer feed(ByteBuffer fromViewer) throws HandshakeException {
    received.append(fromViewer);
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    boolean progressed = true;
    while (state != State.DONE && progressed) {
      progressed = step(reply);
    }
    return ByteBuffer.wrap(reply.toByteArray());
  }

  /** Returns whether ClientInit has arrived, so the viewer now waits for ServerInit. */
  public boolean isDone() {
    return state == State.DONE;
  }

  /** Bytes the viewer sent after ClientInit: its first client-to-server messages. */
  public ByteBuffer remaining() {
    return received.drain();
  }

  private boolean step(ByteArrayOutputStream reply) throws HandshakeException {
    switch (state) {
      case VERSION:
        if (received.available() < RfbVersion.LENGTH) {
          return false;
        }
        minor = RfbVersion.negotiate(received.take(RfbVersion.LENGTH));
        if (minor == 3) {
          reply.writeBytes(new byte[] {0, 0, 0, ServerHandshake.SECURITY_NONE});
          state = State.CLIENT_INIT;
        } else {
          reply.writeBytes(new byte[] {1, ServerHandshake.SECURITY_NONE});
          state = State.SECURITY_CHOICE;
        }
        return true;
      case SECURITY_CHOICE:
        if (received.available() < 1) {
          return false;
        }
        int chosen = received.take(1)[0] & 0xFF;
        if (chosen != ServerHandshake.SECURITY_NONE) {
          throw new HandshakeException(
              "The viewer chose security type " + chosen + "; the gateway offers only None (1)");
        }
        if (minor == 8) {
          reply.writeBytes(new byte[] {0, 0, 0, 0});
        }
        state = State.CLIENT_INIT;
        return true;
      case CLIENT_INIT:
        if (received.available() < 1) {
          return false;
        }
        received.take(1);
        state = State.DONE;
        return true;
      default:
        return false;
    }
  }
}
