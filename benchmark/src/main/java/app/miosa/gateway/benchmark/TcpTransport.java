package app.miosa.gateway.benchmark;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * RFB over a plain TCP connection, read through the same buffered blocking socket stream that
 * {@link WebSocketTransport} uses, so both cost the client the same per byte.
 */
final class TcpTransport implements Transport {
  /** Size of the client's read buffer; larger reads bypass it and go straight to the socket. */
  static final int READ_BUFFER_BYTES = 64 * 1024;

  /** Timeout of connecting and of every read. */
  static final int TIMEOUT_MILLIS = 30_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private TcpTransport(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER_BYTES);
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code port} on 127.0.0.1. */
  static TcpTransport connect(int port) throws IOException {
    return new TcpTransport(openSocket(port));
  }

  /** Opens a TCP connection to 127.0.0.1 with Nagle's algorithm off, as VNC viewers do. */
  static Socket openSocket(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Reads exactly {@code length} bytes from {@code in}. */
  static void readFully(InputStream in, byte[] buffer, int offset, int length)
      throws IOException {
    while (length > 0) {
      int read = in.read(buffer, offset, length);
      if (read < 0) {
        throw new EOFException("The connection closed with " + length + " bytes still expected");
      }
      offset += read;
      length -= read;
    }
  }

  @Override
  public void readFully(byte[] buffer, int offset, int length) throws IOException {
    readFully(in, buffer, offset, length);
  }

  @Override
  public synchronized void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // The connection is dropped either way.
    }
  }
}
