package app.miosa.gateway.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run as Markdown: the machine, the command, one table with a column per route
 * and a row per measure, the targets as ratios within the run, and the details behind the table.
 */
final class Report {
  static final String GATEWAY = "gateway";
  static final String WEBSOCKIFY = "websockify";
  static final String SOCAT = "socat";
  static final String DIRECT = "direct TCP";
  static final List<String> ROUTES = List.of(GATEWAY, WEBSOCKIFY, SOCAT, DIRECT);

  /** Shown in a cell that was not measured in this run. */
  private static final String NOT_RUN = "not run";

  private final List<String> header = new ArrayList<>();
  private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
  private final Map<String, String[]> targets = new LinkedHashMap<>();
  private final List<String> details = new ArrayList<>();

  /** Adds the machine, command and client lines above the table. */
  void addHeader(String line) {
    header.add(line);
  }

  /** Sets the cell of {@code route} in the row {@code measure}, adding the row if new. */
  void set(String measure, String route, String value) {
    rows.computeIfAbsent(measure, key -> new LinkedHashMap<>()).put(route, value);
  }

  /**
   * Sets the target of a row and the run's result against it.
   *
   * @param goal the target, as a ratio or count
   * @param status the measured ratio or count and whether it meets the target
   */
  void setTarget(String measure, String goal, String status) {
    rows.computeIfAbsent(measure, key -> new LinkedHashMap<>());
    targets.put(measure, new String[] {goal, status});
  }

  void addDetail(String line) {
    details.add(line);
  }

  String toMarkdown() {
    StringBuilder text = new StringBuilder("# Benchmark results\n\n");
    header.forEach(line -> text.append(line).append('\n'));
    text.append('\n');
    text.append("| measure | ").append(String.join(" | ", ROUTES)).append(" | target | now |\n");
    text.append("|---|").append("---:|".repeat(ROUTES.size())).append("---|---|\n");
    for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
      text.append("| ").append(row.getKey()).append(" |");
      for (String route : ROUTES) {
        text.append(' ').append(row.getValue().getOrDefault(route, NOT_RUN)).append(" |");
      }
      String[] target = targets.getOrDefault(row.getKey(), new String[] {"", ""});
      text.append(' ').append(target[0]).append(" | ").append(target[1]).append(" |\n");
    }
    if (!details.isEmpty()) {
      text.append("\n## Details\n\n");
      details.forEach(line -> text.append("- ").append(line).append('\n'));
    }
    return text.toString();
  }

  /** Formats a number with 3 significant digits at most, and no exponent. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    double magnitude = Math.abs(value);
    String pattern = "%.3f";
    if (magnitude >= 100) {
      pattern = "%.0f";
    } else if (magnitude >= 10) {
      pattern = "%.1f";
    } else if (magnitude >= 1) {
      pattern = "%.2f";
    }
    return String.format(Locale.ROOT, pattern, value);
  }

  /** Formats {@code measured / reference} as a ratio, such as "0.85×". */
  static String ratio(double measured, double reference) {
    return String.format(Locale.ROOT, "%.2f×", measured / reference);
  }

  static String metOrNot(boolean met) {
    return met ? "**met**" : "**not met**";
  }
}
