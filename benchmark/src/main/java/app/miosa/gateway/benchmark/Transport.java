package app.miosa.gateway.benchmark;

import java.io.Closeable;
import java.io.IOException;

/**
 * A byte stream to an RFB server: a plain TCP connection, or the payload of binary WebSocket
 * messages. Reads come from one thread; writes may come from another.
 */
interface Transport extends Closeable {
  /** Reads exactly {@code length} bytes, failing with an EOFException when the stream ends. */
  void readFully(byte[] buffer, int offset, int length) throws IOException;

  /** Sends {@code bytes} at once, as one WebSocket message on a WebSocket. */
  void write(byte[] bytes) throws IOException;

  @Override
  void close();
}
