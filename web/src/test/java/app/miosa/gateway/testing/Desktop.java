package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real desktop: TigerVNC's {@code Xvnc} on 127.0.0.1 without a VNC password, a blue background,
 * a terminal and a clock that changes every second. Closing it ends every process it started.
 */
public final class Desktop implements AutoCloseable {
  public static final int WIDTH = 1024;
  public static final int HEIGHT = 768;

  /** The root window's colour, as 0xRRGGBB. */
  public static final int BACKGROUND_RGB = 0x2060c0;

  /** VNC servers listen on 5900 plus the display number (RFC 6143, section 1). */
  private static final int VNC_BASE_PORT = 5900;

  /** The title of the desktop's terminal window, which {@link #start} waits for. */
  private static final String TERMINAL_TITLE = "gateway-terminal";

  private final int display;
  private final List<Process> processes = new ArrayList<>();

  private Desktop(int display) {
    this.display = display;
  }

  /** Starts Xvnc without a password on a free display and port, then the programs shown on it. */
  public static Desktop start(Path logDirectory) {
    return start(logDirectory, null);
  }

  /**
   * Starts Xvnc on a free display and port, then the programs shown on it.
   *
   * @param password the VNC password (security type VncAuth only), or null for security None
   */
  public static Desktop start(Path logDirectory, String password) {
    int display = freeDisplay();
    Desktop desktop = new Desktop(display);
    try {
      Files.createDirectories(logDirectory);
      List<String> security = List.of("-SecurityTypes", "None");
      if (password != null) {
        Path passwordFile = logDirectory.resolve("vncpasswd-" + display);
        writePasswordFile(password, passwordFile);
        security =
            List.of("-SecurityTypes", "VncAuth", "-PasswordFile", passwordFile.toString());
      }
      List<String> command = new ArrayList<>(List.of(
          "Xvnc",
          ":" + display,
          "-geometry",
          WIDTH + "x" + HEIGHT,
          "-depth",
          "24",
          "-rfbport",
          String.valueOf(desktop.port()),
          "-interface",
          "127.0.0.1",
          "-nolisten",
          "tcp",
          "-desktop",
          "gateway-desktop"));
      command.addAll(security);
      desktop.launch(logDirectory.resolve("xvnc-" + display + ".log"), command.toArray(String[]::new));
      desktop.awaitPort(Duration.ofSeconds(20));
      desktop.runX("xsetroot", "-solid", String.format("#%06x", BACKGROUND_RGB)).waitFor();
      // The terminal runs sh, which reads typed lines in the terminal's canonical mode, and marks
      // when it is ready: keys sent before a shell reads them could otherwise be lost.
      Path shellReady = logDirectory.resolve("shell-ready-" + display);
      Files.deleteIfExists(shellReady);
      desktop.processes.add(
          desktop.runX(
              "xterm", "-title", TERMINAL_TITLE, "-geometry", "80x24+40+40",
              "-e", "sh", "-c", "touch \"$0\"; exec sh", shellReady.toAbsolutePath().toString()));
      desktop.awaitViewable(TERMINAL_TITLE, Duration.ofSeconds(20));
      desktop.awaitFile(shellReady, Duration.ofSeconds(20));
      desktop.processes.add(desktop.runX("xclock", "-update", "1", "-geometry", "200x200+700+60"));
      return desktop;
    } catch (IOException e) {
      desktop.close();
      throw new UncheckedIOException("Starting Xvnc failed; is tigervnc-standalone-server installed?", e);
    } catch (InterruptedException e) {
      desktop.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the desktop", e);
    }
  }

  public int port() {
    return VNC_BASE_PORT + display;
  }

  /** Returns the address a computer registration names: {@code tcp://127.0.0.1:port}. */
  public String vncUrl() {
    return "tcp://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    for (Process process : reversedProcesses()) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Writes a TigerVNC password file with {@code vncpasswd -f}, which reads the password on stdin. */
  private static void writePasswordFile(String password, Path file)
      throws IOException, InterruptedException {
    Process vncpasswd =
        new ProcessBuilder("vncpasswd", "-f").redirectOutput(file.toFile()).start();
    vncpasswd.getOutputStream().write((password + "\n").getBytes());
    vncpasswd.getOutputStream().close();
    if (vncpasswd.waitFor() != 0) {
      throw new IOException("vncpasswd -f exited with " + vncpasswd.exitValue());
    }
  }

  private List<Process> reversedProcesses() {
    List<Process> reversed = new ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  private void launch(Path log, String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(process);
  }

  private Process runX(String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("DISPLAY", ":" + display);
    return builder.start();
  }

  private void awaitPort(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!processes.get(0).isAlive()) {
        throw new IllegalStateException("Xvnc on display :" + display + " exited at start");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port()), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("Xvnc did not listen on port " + port() + " within " + timeout);
  }

  /**
   * Waits until the window with this title is mapped, so that pointer and key events sent right
   * after the start reach it rather than the root window.
   */
  private void awaitViewable(String title, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      ProcessBuilder builder = new ProcessBuilder("xwininfo", "-name", title);
      builder.environment().put("DISPLAY", ":" + display);
      Process xwininfo = builder.redirectErrorStream(true).start();
      String output = new String(xwininfo.getInputStream().readAllBytes());
      if (xwininfo.waitFor() == 0 && output.contains("IsViewable")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "Timed out after " + timeout + " waiting for the window '" + title + "' on display :"
            + display + "; is xterm installed?");
  }

  private void awaitFile(Path file, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!Files.exists(file)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "The terminal's shell on display :" + display + " did not start within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /** Picks a display whose VNC port is free and which has no X lock file. */
  private static int freeDisplay() {
    for (int display = 20 + (int) (ProcessHandle.current().pid() % 50); display < 99; display++) {
      if (Files.exists(Path.of("/tmp/.X" + display + "-lock"))) {
        continue;
      }
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress("127.0.0.1", VNC_BASE_PORT + display));
        return display;
      } catch (IOException e) {
        // Taken; try the next display.
      }
    }
    throw new IllegalStateException("No free X display between :20 and :98");
  }
}
