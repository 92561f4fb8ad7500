package app.miosa.gateway.ear;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sockets a server process listens on, as {@code ss} reports them. */
final class Listeners {
  private Listeners() {}

  /**
   * Returns the local address of every TCP and UDP socket that the process listens on, as {@code
   * ss} prints it ({@code 127.0.0.1:8080}, {@code [::ffff:127.0.0.1]:8080}, {@code *:8080}).
   */
  static List<String> of(long pid) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-H", "-l", "-t", "-u", "-n", "-p").start();
    String output = new String(ss.getInputStream().readAllBytes(), US_ASCII);
    assertTrue(ss.waitFor(30, TimeUnit.SECONDS), "ss did not finish");
    assertEquals(0, ss.exitValue(), "ss failed");

    List<String> addresses = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.contains("pid=" + pid + ",")) {
        addresses.add(line.trim().split("\\s+")[4]);
      }
    }
    return addresses;
  }

  /** Returns the addresses of {@code addresses} that are not loopback addresses. */
  static List<String> outsideLoopback(List<String> addresses) {
    return addresses.stream().filter(address -> !isLoopback(address)).toList();
  }

  private static boolean isLoopback(String socketAddress) {
    String host = socketAddress.substring(0, socketAddress.lastIndexOf(':'));
    host = host.replaceAll("%.*$", "").replace("[", "").replace("]", "");
    if (host.equals("*")) {
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(host.replaceFirst("^::ffff:", ""));
      return address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
