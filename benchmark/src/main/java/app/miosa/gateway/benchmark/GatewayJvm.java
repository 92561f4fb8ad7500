package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** Name of the flight recording that {@code --profile} starts. */
  private static final String RECORDING = "benchmark";

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

  /** Starts a Java Flight Recorder recording with the JDK's "profile" settings. */
  void startRecording() throws IOException, InterruptedException {
    jcmd("JFR.start", "name=" + RECORDING, "settings=profile");
  }

  /** Writes the recording started by {@link #startRecording} to {@code file}. */
  void dumpRecording(Path file) throws IOException, InterruptedException {
    jcmd("JFR.dump", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
  }

  private String jcmd(String... command) throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(List.of("jcmd", String.valueOf(pid)));
    arguments.addAll(List.of(command));
    Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + String.join(" ", command) + " failed: "
          + output);
    }
    return output;
  }
}
