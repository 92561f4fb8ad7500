package app.miosa.gateway.stream;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;

/**
 * The byte stream to a computer's VNC server, plain TCP or binary WebSocket messages, with the
 * completion-handler style of {@link java.nio.channels.AsynchronousSocketChannel}. At most one
 * read and one write are outstanding at a time; a read completes with -1 at the end of the
 * stream.
 */
interface UpstreamChannel {
  void connect(CompletionHandler<Void, Void> handler);

  void read(ByteBuffer target, CompletionHandler<Integer, Void> handler);

  void write(ByteBuffer source, CompletionHandler<Integer, Void> handler);

  void close();

  /** Returns the channel's destination, for log lines. */
  String describe();
}
