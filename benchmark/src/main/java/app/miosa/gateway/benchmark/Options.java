package app.miosa.gateway.benchmark;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The benchmark's command-line options and the sizes and durations they select. */
final class Options {
  /** A part of the benchmark that {@code --only} can select. */
  enum Section {
    THROUGHPUT,
    ROUND_TRIP,
    CONNECT,
    MEMORY,
    VIEWERS,
    MINTING
  }

  static final String USAGE =
      String.join(
          "\n",
          "Usage: server-config/benchmark.sh [--no-build] [--quick] [--no-postgres] [--profile]"
              + " [--only SECTION,...]",
          "  --no-build     run what this script built last",
          "  --quick        shorter windows and fewer streams, viewers and connects (about 3 min)",
          "  --no-postgres  mint on H2 only; PostgreSQL must otherwise accept the user postgres",
          "                 on 127.0.0.1:5432, database test",
          "  --profile      record the gateway with Java Flight Recorder and print its hottest"
              + " methods",
          "  --only         comma-separated sections: throughput, round_trip, connect, memory,",
          "                 viewers, minting (default: all)");

  final boolean quick;
  final boolean postgres;
  final boolean profile;
  final Set<Section> sections;

  final Duration warmUp;
  final Duration gatewayWarmUp;
  final Duration throughputWindow;
  final Duration roundTripWindow;
  final int manyStreams;
  final int connects;
  final int idleStreams;
  final int[] viewerSteps;
  final Duration viewerSettle;
  final Duration viewerWindow;
  final Duration viewerTimeLimit;
  final int mintingClients;
  final Duration mintingWindow;

  private Options(boolean quick, boolean postgres, boolean profile, Set<Section> sections) {
    this.quick = quick;
    this.postgres = postgres;
    this.profile = profile;
    this.sections = sections;
    this.warmUp = Duration.ofSeconds(quick ? 1 : 2);
    this.gatewayWarmUp = Duration.ofSeconds(quick ? 5 : 15);
    this.throughputWindow = Duration.ofSeconds(quick ? 3 : 10);
    this.roundTripWindow = Duration.ofSeconds(quick ? 2 : 5);
    this.manyStreams = quick ? 50 : 200;
    this.connects = quick ? 15 : 50;
    this.idleStreams = quick ? 100 : 500;
    this.viewerSteps = quick ? new int[] {100, 300} : new int[] {100, 200, 400, 700, 1000};
    this.viewerSettle = Duration.ofSeconds(2);
    this.viewerWindow = Duration.ofSeconds(quick ? 3 : 5);
    this.viewerTimeLimit = Duration.ofSeconds(quick ? 60 : 150);
    this.mintingClients = 16;
    this.mintingWindow = Duration.ofSeconds(quick ? 3 : 10);
  }

  /**
   * Parses the arguments of the main class ({@code --no-build} is the script's and is ignored).
   *
   * @throws IllegalArgumentException on an unknown option or section
   */
  static Options parse(String[] args) {
    boolean quick = false;
    boolean postgres = true;
    boolean profile = false;
    Set<Section> sections = EnumSet.allOf(Section.class);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--no-postgres" -> postgres = false;
        case "--profile" -> profile = true;
        case "--no-build" -> {}
        case "--only" -> {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--only needs a list of sections\n" + USAGE);
          }
          sections = EnumSet.noneOf(Section.class);
          String list = args[++i];
          if (list.isBlank() || list.replace(",", "").isBlank()) {
            throw new IllegalArgumentException("--only needs at least one section\n" + USAGE);
          }
          for (String name : list.split(",")) {
            try {
              sections.add(Section.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("Unknown section '" + name + "'\n" + USAGE, e);
            }
          }
        }
        default -> throw new IllegalArgumentException("Unknown option '" + args[i] + "'\n" + USAGE);
      }
    }
    return new Options(quick, postgres, profile, sections);
  }

  /** Returns whether this run measures everything at full size, as the committed results do. */
  boolean isFullRun() {
    return !quick && postgres && sections.equals(EnumSet.allOf(Section.class));
  }

  boolean runs(Section section) {
    return sections.contains(section);
  }
}
