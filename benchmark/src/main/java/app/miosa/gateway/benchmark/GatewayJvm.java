package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's Payara Micro JVM, found among this JVM's descendants by its command line, and
 * inspected with the JDK's {@code jcmd}.
 */
final class GatewayJvm {
  /** The used heap in {@code jcmd GC.heap_info} output, such as "used 102400K". */
  private static final Pattern USED_HEAP = Pattern.compile("used (\\d+)K");

  private final long pid;

  private GatewayJvm(long pid) {
    this.pid = pid;
  }

  /**
   * Finds the Payara Micro JVM that run-gateway.sh started with {@code --port port}.
   *
   * @throws IllegalStateException when no such process runs
   */
  static GatewayJvm find(int port) {
    return new GatewayJvm(
        ProcessCpu.findDescendant("java", "payara-micro", "--port " + port + " ")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No Payara Micro JVM with --port " + port + " among this JVM's"
                            + " descendants")));
  }

  long pid() {
    return pid;
  }

  double cpuSeconds() {
    return ProcessCpu.seconds(pid);
  }

  /** Runs a full garbage collection, then returns the used heap in bytes. */
  long usedHeapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher used = USED_HEAP.matcher(info);
    if (!used.find()) {
      throw new IOException("No used heap in the output of jcmd " + pid + " GC.heap_info: "
          + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
    }
    return output;
  }
}
