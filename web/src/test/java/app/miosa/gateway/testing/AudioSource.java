package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A computer's audio source on 127.0.0.1: {@code server-config/audio-source.sh}, which serves
 * ffmpeg's Opus-in-WebM encoding of a tone to every connection. Run from the web module's
 * directory, as Maven and the demo do.
 */
public final class AudioSource implements AutoCloseable {
  private static final Path SCRIPT = Path.of("..", "server-config", "audio-source.sh");

  private final Process process;
  private final int port;

  private AudioSource(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a steady sine tone of {@code hertz}. */
  public static AudioSource tone(int hertz, Path logDirectory) throws InterruptedException {
    return start(logDirectory, "--tone", String.valueOf(hertz));
  }

  /** Starts a short tone of {@code hertz} every second. */
  public static AudioSource beep(int hertz, Path logDirectory) throws InterruptedException {
    return start(logDirectory, "--beep", String.valueOf(hertz));
  }

  private static AudioSource start(Path logDirectory, String sound, String hertz)
      throws InterruptedException {
    int port = Ports.free();
    try {
      Process process =
          new ProcessBuilder(
                  "bash", SCRIPT.toString(), "--port", String.valueOf(port), sound, hertz)
              .redirectErrorStream(true)
              .redirectOutput(logDirectory.resolve("audio-source-" + port + ".log").toFile())
              .start();
      AudioSource source = new AudioSource(process, port);
      source.awaitListening();
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException("Starting " + SCRIPT + " failed", e);
    }
  }

  /** Returns the address a computer registration names: {@code tcp://127.0.0.1:port}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Stops the listener and the encoders of connections still open. */
  private void awaitListening() throws InterruptedException {
    Ports.awaitListening(process, port, "The audio source");
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

}
