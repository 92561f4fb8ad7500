package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 to another loopback port that a test can cut and restore, to make a
 * server behind it unreachable and reachable again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  private TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    ServerSocket probe = new ServerSocket();
    probe.bind(new InetSocketAddress("127.0.0.1", 0));
    this.port = probe.getLocalPort();
    probe.close();
  }

  /** Starts relaying connections on a free port to {@code targetPort}. */
  public static TcpProxy start(int targetPort) throws IOException {
    TcpProxy proxy = new TcpProxy(targetPort);
    proxy.restore();
    return proxy;
  }

  public int port() {
    return port;
  }

  /** Closes every relayed connection and stops listening, so new connections are refused. */
  public synchronized void cut() throws IOException {
    if (listener != null) {
      listener.close();
      listener = null;
    }
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Listens again on the same port. */
  public synchronized void restore() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    listener = server;
    Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Socket target = new Socket("127.0.0.1", targetPort);
        sockets.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException e) {
        // Closed by cut(), or the target refused: the client sees its connection end.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                  out.write(buffer, 0, read);
                }
              } catch (IOException e) {
                // One side closed: close both below.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pump-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
