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
  /**
   * The committed and used heap in {@code jcmd GC.heap_info} output, such as "total 262144K,
   * used 102400K".
   */
  private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /** Heap sizes in bytes. */
  record Heap(long committedBytes, long usedBytes) {}

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

  /** Runs a full garbage collection, then returns the committed and used heap. */
  Heap heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher heap = HEAP.matcher(info);
    if (!heap.find()) {
      throw new IOException("No heap sizes in the output of jcmd " + pid + " GC.heap_info: "
          + info);
    }
    return new Heap(Long.parseLong(heap.group(1)) * 1024, Long.parseLong(heap.group(2)) * 1024);
  }

  long residentBytes() throws IOException {
    return ProcessCpu.residentBytes(pid);
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
