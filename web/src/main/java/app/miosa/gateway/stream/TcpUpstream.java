package app.miosa.gateway.stream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.UnresolvedAddressException;

/** Plain RFB over a TCP connection to the VNC server. */
final class TcpUpstream implements UpstreamChannel {
  private final AsynchronousSocketChannel channel;
  private final InetSocketAddress address;

  TcpUpstream(AsynchronousSocketChannel channel, InetSocketAddress address) {
    this.channel = channel;
    this.address = address;
  }

  @Override
  public void connect(CompletionHandler<Void, Void> handler) {
    if (address.isUnresolved()) {
      handler.failed(new UnresolvedAddressException(), null);
      return;
    }
    channel.connect(
        address,
        null,
        new CompletionHandler<Void, Void>() {
          @Override
          public void completed(Void result, Void attachment) {
            try {
              // RFB input messages are a few bytes each; Nagle's algorithm would delay them.
              channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
              // Latency only; the relay works without it.
            }
            handler.completed(null, null);
          }

          @Override
          public void failed(Throwable error, Void attachment) {
            handler.failed(error, null);
          }
        });
  }

  @Override
  public void read(ByteBuffer target, CompletionHandler<Integer, Void> handler) {
    channel.read(target, null, handler);
  }

  @Override
  public void write(ByteBuffer source, CompletionHandler<Integer, Void> handler) {
    channel.write(source, null, handler);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // The socket is being discarded; nothing is left to flush.
    }
  }

  @Override
  public String describe() {
    return "tcp://" + address.getHostString() + ":" + address.getPort();
  }
}
