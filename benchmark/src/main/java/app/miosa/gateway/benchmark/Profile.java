package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * A summary of a flight recording's CPU samples: the methods that were running (self time) and
 * the gateway's own methods anywhere on the sampled stacks (total time), each as a share of all
 * samples.
 */
final class Profile {
  /** Package of the gateway's own code. */
  private static final String GATEWAY_PACKAGE = "app.miosa.gateway.";

  private Profile() {}

  /** Reads {@code recording} and returns the summary as text, {@code limit} methods per list. */
  static String summarize(Path recording, int limit) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame.getMethod());
        if (name.startsWith(GATEWAY_PACKAGE) && seen.add(name)) {
          total.merge(name, 1, Integer::sum);
        }
      }
    }
    StringBuilder text = new StringBuilder();
    text.append(samples).append(" CPU samples of the gateway's Java threads\n\n");
    appendTop(text, "Self time (the method running when sampled)", self, samples, limit);
    appendTop(text, "Total time of the gateway's own methods", total, samples, limit);
    return text.toString();
  }

  private static void appendTop(
      StringBuilder text, String title, Map<String, Integer> counts, int samples, int limit) {
    text.append(title).append(":\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            entry ->
                text.append(
                    String.format(
                        "  %5.1f%%  %s%n", 100.0 * entry.getValue() / samples, entry.getKey())));
    text.append('\n');
  }

  private static String name(RecordedMethod method) {
    return method.getType().getName() + "." + method.getName();
  }
}
