package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU time of processes, read from Linux's {@code /proc/PID/stat} (proc(5)): utime and stime of
 * the process, plus cutime and cstime, the time of children it has waited for.
 */
final class ProcessCpu {
  /** Clock ticks per second, the unit of the times in /proc/PID/stat. */
  private static final long CLOCK_TICKS = clockTicks();

  private ProcessCpu() {}

  /**
   * Returns the CPU seconds used so far by {@code pid} and every live descendant, each with its
   * waited-for children. A child that ends between two readings and has been waited for moves
   * into its parent's cutime, so the sum stays correct for relays that fork per connection
   * (websockify, socat with {@code fork}).
   */
  static double treeSeconds(long pid) {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(
        child -> pids.add(child.pid())));
    long ticks = 0;
    for (long each : pids) {
      ticks += ticks(each, true);
    }
    return (double) ticks / CLOCK_TICKS;
  }

  /** Returns the CPU seconds used so far by {@code pid} alone, its threads included. */
  static double seconds(long pid) {
    return (double) ticks(pid, false) / CLOCK_TICKS;
  }

  /** Returns the command line of {@code pid} with arguments separated by spaces, if it runs. */
  static Optional<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
      return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Returns the first descendant of this JVM whose command line contains every fragment. */
  static Optional<Long> findDescendant(String... fragments) {
    return ProcessHandle.current()
        .descendants()
        .map(ProcessHandle::pid)
        .filter(
            pid -> {
              String command = commandLine(pid).orElse("");
              for (String fragment : fragments) {
                if (!command.contains(fragment)) {
                  return false;
                }
              }
              return true;
            })
        .findFirst();
  }

  private static long ticks(long pid, boolean withChildren) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    } catch (NoSuchFileException e) {
      return 0; // Ended and waited for: its time is in its parent's cutime.
    } catch (IOException e) {
      return 0;
    }
    // The command name in field 2 may contain spaces, so fields are counted after its ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    if (withChildren) {
      ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime
    }
    return ticks;
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String output =
          new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      getconf.waitFor();
      return Long.parseLong(output);
    } catch (IOException | NumberFormatException e) {
      return 100; // USER_HZ of Linux on x86 and ARM.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
