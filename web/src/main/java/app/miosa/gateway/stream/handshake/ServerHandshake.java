package app.miosa.gateway.stream.handshake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's side of the handshake with a computer's VNC server, as an RFB client.
 *
 * <pre>
 * server: ProtocolVersion "RFB 003.00x\n"        client: ProtocolVersion (min of both, 3.3/3.7/3.8)
 * 3.7+:   u8 count, count x u8 security types    client: u8 chosen type (None 1, else VNC auth 2)
 * 3.3:    u32 security type chosen by the server
 * VNC auth: 16-byte challenge                    client: 16-byte DES response
 * SecurityResult u32 (0 = OK), except None before 3.8; 3.8 failures add u32 length + reason
 *                                                client: ClientInit u8 shared flag, always 1
 * ServerInit: u16 width, u16 height, 16-byte pixel format, u32 name length, name
 * </pre>
 *
 * Forcing the shared flag keeps every other viewer of the desktop connected (RFC 6143, 7.3.1).
 */
public final class ServerHandshake {
  static final int SECURITY_INVALID = 0;
  static final int SECURITY_NONE = 1;
  static final int SECURITY_VNC_AUTHENTICATION = 2;

  /** Maximum length of a failure reason read from a server; real ones are a sentence. */
  static final int MAX_REASON_LENGTH = 4096;

  /** Maximum length of the desktop name in ServerInit; real ones are a few dozen bytes. */
  static final int MAX_NAME_LENGTH = 4096;

  /** ServerInit before the name: width, height, pixel format and the name length. */
  static final int SERVER_INIT_HEADER_LENGTH = 24;

  private static final byte SHARED = 1;

  private enum State {
    VERSION,
    SECURITY_TYPES,
    SECURITY_TYPE_CHOSEN_BY_SERVER,
    CHALLENGE,
    SECURITY_RESULT,
    SERVER_INIT,
    DONE
  }

  private final String password;
  private final ByteQueue received = new ByteQueue();
  private State state = State.VERSION;
  private int minor;
  private byte[] serverInit;

  /**
   * @param password the VNC password, or null when the computer has none
   */
  public ServerHandshake(String password) {
    this.password = password;
  }

  /**
   * Consumes bytes from the VNC server and returns the bytes to send back, possibly none.
   *
   * @throws HandshakeException when the server rejects the gateway or offers nothing it can use
   */
  public ByteBuffer feed(ByteBuffer fromServer) throws HandshakeException {
    received.append(fromServer);
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    boolean progressed = true;
    while (state != State.DONE && progressed) {
      progressed = step(reply);
    }
    return ByteBuffer.wrap(reply.toByteArray());
  }

  public boolean isDone() {
    return state == State.DONE;
  }

  /** Returns the whole ServerInit message, which the gateway sends on to the viewer. */
  public byte[] serverInit() {
    return serverInit;
  }

  /** Bytes the server sent after ServerInit, which belong to the relayed stream. */
  public ByteBuffer remaining() {
    return received.drain();
  }

  /** Returns whether a field was complete and consumed. */
  private boolean step(ByteArrayOutputStream reply) throws HandshakeException {
    switch (state) {
      case VERSION:
        return readVersion(reply);
      case SECURITY_TYPES:
        return readSecurityTypes(reply);
      case SECURITY_TYPE_CHOSEN_BY_SERVER:
        return readSecurityTypeChosenByServer(reply);
      case CHALLENGE:
        return readChallenge(reply);
      case SECURITY_RESULT:
        return readSecurityResult(reply);
      case SERVER_INIT:
        return readServerInit();
      default:
        return false;
    }
  }

  private boolean readVersion(ByteArrayOutputStream reply) throws HandshakeException {
    if (received.available() < RfbVersion.LENGTH) {
      return false;
    }
    minor = RfbVersion.negotiate(received.take(RfbVersion.LENGTH));
    reply.writeBytes(RfbVersion.message(minor));
    state = minor == 3 ? State.SECURITY_TYPE_CHOSEN_BY_SERVER : State.SECURITY_TYPES;
    return true;
  }

  private boolean readSecurityTypes(ByteArrayOutputStream reply) throws HandshakeException {
    if (received.available() < 1) {
      return false;
    }
    int count = received.peekU8(0);
    if (count == 0) {
      return readFailure(1, "The VNC server rejected the connection");
    }
    if (received.available() < 1 + count) {
      return false;
    }
    received.take(1);
    List<Integer> offered = new ArrayList<>();
    for (byte type : received.take(count)) {
      offered.add(type & 0xFF);
    }

    int chosen = choose(offered);
    reply.write(chosen);
    afterSecurityChosen(chosen, reply);
    return true;
  }

  private boolean readSecurityTypeChosenByServer(ByteArrayOutputStream reply)
      throws HandshakeException {
    if (received.available() < 4) {
      return false;
    }
    long type = received.peekU32(0);
    if (type == SECURITY_INVALID) {
      return readFailure(4, "The VNC server rejected the connection");
    }
    received.take(4);
    if (type > 255) {
      throw new HandshakeException("The VNC server chose an invalid security type " + type);
    }
    afterSecurityChosen(choose(List.of((int) type)), reply);
    return true;
  }

  private int choose(List<Integer> offered) throws HandshakeException {
    if (offered.contains(SECURITY_NONE)) {
      return SECURITY_NONE;
    }
    if (offered.contains(SECURITY_VNC_AUTHENTICATION) && password != null) {
      return SECURITY_VNC_AUTHENTICATION;
    }
    throw new HandshakeException(
        "The VNC server offers security types "
            + offered
            + "; the gateway supports None (1)"
            + (password == null
                ? ", and VNC authentication (2) once a vnc_password is registered"
                : " and VNC authentication (2)"));
  }

  private void afterSecurityChosen(int chosen, ByteArrayOutputStream reply) {
    if (chosen == SECURITY_VNC_AUTHENTICATION) {
      state = State.CHALLENGE;
    } else if (minor == 8) {
      state = State.SECURITY_RESULT;
    } else {
      // Before 3.8 a server sends no SecurityResult for security type None.
      reply.write(SHARED);
      state = State.SERVER_INIT;
    }
  }

  private boolean readChallenge(ByteArrayOutputStream reply) {
    if (received.available() < VncAuthentication.CHALLENGE_LENGTH) {
      return false;
    }
    byte[] challenge = received.take(VncAuthentication.CHALLENGE_LENGTH);
    reply.writeBytes(VncAuthentication.response(challenge, password));
    state = State.SECURITY_RESULT;
    return true;
  }

  private boolean readSecurityResult(ByteArrayOutputStream reply) throws HandshakeException {
    if (received.available() < 4) {
      return false;
    }
    long result = received.peekU32(0);
    if (result != 0) {
      if (minor == 8) {
        return readFailure(4, "VNC authentication failed");
      }
      throw new HandshakeException("VNC authentication failed");
    }
    received.take(4);
    reply.write(SHARED);
    state = State.SERVER_INIT;
    return true;
  }

  private boolean readServerInit() throws HandshakeException {
    if (received.available() < SERVER_INIT_HEADER_LENGTH) {
      return false;
    }
    long nameLength = received.peekU32(SERVER_INIT_HEADER_LENGTH - 4);
    if (nameLength > MAX_NAME_LENGTH) {
      throw new HandshakeException(
          "The VNC server's desktop name has " + nameLength + " bytes; the maximum is "
              + MAX_NAME_LENGTH);
    }
    int length = SERVER_INIT_HEADER_LENGTH + (int) nameLength;
    if (received.available() < length) {
      return false;
    }
    serverInit = received.take(length);
    state = State.DONE;
    return true;
  }

  /**
   * Reads a failure reason (u32 length, then text) that starts {@code offset} bytes into the
   * queue, and throws with it once it is complete.
   */
  private boolean readFailure(int offset, String context) throws HandshakeException {
    if (received.available() < offset + 4) {
      return false;
    }
    long length = received.peekU32(offset);
    if (length > MAX_REASON_LENGTH) {
      throw new HandshakeException(context + " with a reason of " + length + " bytes");
    }
    if (received.available() < offset + 4 + length) {
      return false;
    }
    received.take(offset + 4);
    String reason = new String(received.take((int) length), StandardCharsets.UTF_8);
    throw new HandshakeException(context + ": " + reason.strip());
  }
}
