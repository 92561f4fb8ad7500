package app.miosa.gateway.stream;

import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.Supplier;

/**
 * Sends to the viewer with a context class loader that is the application's loader, except that
 * it finds no Jakarta Concurrency thread context providers.
 *
 * <p>Tyrus restarts a session's idle timer on every message it sends, by scheduling a task on the
 * container's managed scheduler, and Payara captures the thread context of every such task. That
 * capture looks up {@code ThreadContextProvider} services through the context class loader, and
 * through the application's loader the lookup searches every jar of the server (316 in Payara
 * Micro 6.2025.10, none of which provides one). Profiling showed that lookup taking most of the
 * relay's CPU time. With this loader the lookup returns at once, with the same empty result.
 */
// NOTE: Tyrus restarts the timer for every message it receives too, on a container thread whose
// context class loader the gateway does not choose, so that lookup still costs on viewer input.
final class RelayClassLoader extends ClassLoader {
  /** The service file that Payara's context capture looks up. */
  static final String THREAD_CONTEXT_PROVIDERS =
      "META-INF/services/jakarta.enterprise.concurrent.spi.ThreadContextProvider";

  static {
    registerAsParallelCapable();
  }

  static final RelayClassLoader INSTANCE =
      new RelayClassLoader(RelayClassLoader.class.getClassLoader());

  private RelayClassLoader(ClassLoader application) {
    super(application);
  }

  /** Sends a binary message to the viewer and blocks until it has gone. */
  static void send(Session viewer, ByteBuffer message) throws IOException {
    ClassLoader previous = INSTANCE.enter();
    try {
      viewer.getBasicRemote().sendBinary(message);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  /** Starts sending a binary message to the viewer; {@code handler} gets the result. */
  static void send(Session viewer, ByteBuffer message, SendHandler handler) {
    ClassLoader previous = INSTANCE.enter();
    try {
      viewer.getAsyncRemote().sendBinary(message, handler);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (THREAD_CONTEXT_PROVIDERS.equals(name)) {
      return Collections.emptyEnumeration();
    }
    return super.getResources(name);
  }

  /**
   * Runs {@code action} with this loader as the thread's context class loader, for calls that
   * schedule on the managed scheduler, such as an expiry or Tyrus's idle timer.
   */
  static <T> T call(Supplier<T> action) {
    ClassLoader previous = INSTANCE.enter();
    try {
      return action.get();
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  /** Makes this loader the thread's context class loader and returns the one it replaces. */
  private ClassLoader enter() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(this);
    return previous;
  }
}
