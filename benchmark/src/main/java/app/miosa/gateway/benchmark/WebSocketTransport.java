package app.miosa.gateway.benchmark;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal WebSocket client (RFC 6455) over a blocking socket on 127.0.0.1: it opens the
 * connection with subprotocol {@code binary} and exposes the payload of the server's binary
 * messages as one byte stream, the way noVNC treats RFB. Reading a frame costs a header parse on
 * top of {@link TcpTransport}'s path, because server frames are unmasked.
 *
 * <p>It replies to pings with pongs, treats a close frame as the end of the stream and rejects text messages.
 * Client frames are masked, as RFC 6455 requires.
 */
final class WebSocketTransport implements Transport {
  /** Appended to Sec-WebSocket-Key before hashing (RFC 6455, section 1.3). */
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private static final int OPCODE_CONTINUATION = 0x0;
  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;
  private static final int OPCODE_CLOSE = 0x8;
  private static final int OPCODE_PING = 0x9;
  private static final int OPCODE_PONG = 0xA;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] header = new byte[8];

  /** Payload bytes of the current binary frame not read yet. */
  private long frameRemaining;

  private WebSocketTransport(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), TcpTransport.READ_BUFFER_BYTES);
    this.out = socket.getOutputStream();
  }

  /**
   * Opens a WebSocket to {@code pathAndQuery} on {@code port} of 127.0.0.1, without an Origin
   * header, as a backend or native viewer connects.
   *
   * @throws ProtocolException when the server does not switch protocols
   */
  static WebSocketTransport connect(int port, String pathAndQuery) throws IOException {
    Socket socket = TcpTransport.openSocket(port);
    try {
      WebSocketTransport transport = new WebSocketTransport(socket);
      transport.upgrade(port, pathAndQuery);
      return transport;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public void readFully(byte[] buffer, int offset, int length) throws IOException {
    while (length > 0) {
      while (frameRemaining == 0) {
        nextFrame();
      }
      int read = in.read(buffer, offset, (int) Math.min(length, frameRemaining));
      if (read < 0) {
        throw new EOFException("The connection closed inside a WebSocket frame");
      }
      frameRemaining -= read;
      offset += read;
      length -= read;
    }
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    sendFrame(OPCODE_BINARY, bytes);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // The connection is dropped either way.
    }
  }

  private void upgrade(int port, String pathAndQuery) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String request =
        "GET " + pathAndQuery + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + port + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + key + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: binary\r\n"
            + "\r\n";
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();

    String head = readResponseHead();
    String statusLine = head.substring(0, head.indexOf("\r\n"));
    if (!statusLine.startsWith("HTTP/1.1 101")) {
      // The query may carry a ticket, which stays out of messages.
      String path = pathAndQuery.replaceFirst("\\?.*", "");
      throw new ProtocolException("The WebSocket upgrade of " + path + " was rejected: "
          + statusLine);
    }
    String expected = acceptValue(key);
    if (!head.toLowerCase(Locale.ROOT).contains("sec-websocket-accept: " + expected.toLowerCase(
        Locale.ROOT))) {
      throw new ProtocolException("Missing or wrong Sec-WebSocket-Accept in: " + head);
    }
  }

  private String readResponseHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("The connection closed during the WebSocket upgrade: " + head);
      }
      head.append((char) b);
      if (head.length() > 16 * 1024) {
        throw new ProtocolException("The upgrade response's headers exceed 16 KiB");
      }
    }
    return head.toString();
  }

  private static String acceptValue(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-1", e);
    }
  }

  /** Reads frame headers until a binary or continuation frame starts, handling control frames. */
  private void nextFrame() throws IOException {
    TcpTransport.readFully(in, header, 0, 2);
    int opcode = header[0] & 0x0F;
    if ((header[1] & 0x80) != 0) {
      throw new ProtocolException("The server sent a masked frame, which RFC 6455 forbids");
    }
    long length = header[1] & 0x7F;
    if (length == 126) {
      TcpTransport.readFully(in, header, 0, 2);
      length = ((header[0] & 0xFFL) << 8) | (header[1] & 0xFF);
    } else if (length == 127) {
      TcpTransport.readFully(in, header, 0, 8);
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | (header[i] & 0xFF);
      }
    }
    switch (opcode) {
      case OPCODE_BINARY, OPCODE_CONTINUATION -> frameRemaining = length;
      case OPCODE_PING -> sendFrame(OPCODE_PONG, readControlPayload(length));
      case OPCODE_PONG -> readControlPayload(length);
      case OPCODE_CLOSE -> {
        byte[] payload = readControlPayload(length);
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        String reason =
            payload.length > 2
                ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                : "";
        throw new EOFException("The server closed the WebSocket: " + code + " " + reason);
      }
      case OPCODE_TEXT -> throw new ProtocolException("The server sent a text message");
      default -> throw new ProtocolException("Unknown WebSocket opcode " + opcode);
    }
  }

  private byte[] readControlPayload(long length) throws IOException {
    if (length > 125) {
      throw new ProtocolException("Control frame of " + length + " bytes; the limit is 125");
    }
    byte[] payload = new byte[(int) length];
    TcpTransport.readFully(in, payload, 0, payload.length);
    return payload;
  }

  /** Sends one final, masked frame. */
  private synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
    int lengthBytes = 8;
    if (payload.length < 126) {
      lengthBytes = 0;
    } else if (payload.length <= 0xFFFF) {
      lengthBytes = 2;
    }
    byte[] frame = new byte[2 + lengthBytes + 4 + payload.length];
    frame[0] = (byte) (0x80 | opcode);
    int position = 2;
    if (lengthBytes == 0) {
      frame[1] = (byte) (0x80 | payload.length);
    } else if (lengthBytes == 2) {
      frame[1] = (byte) (0x80 | 126);
      frame[position++] = (byte) (payload.length >>> 8);
      frame[position++] = (byte) payload.length;
    } else {
      frame[1] = (byte) (0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame[position++] = (byte) ((long) payload.length >>> shift);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, position, 4);
    position += 4;
    for (int i = 0; i < payload.length; i++) {
      frame[position + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    out.write(frame);
    out.flush();
  }
}
