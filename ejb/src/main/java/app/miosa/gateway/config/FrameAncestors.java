package app.miosa.gateway.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the CSP {@code frame-ancestors} source expressions of server config. Only the forms a
 * frame ancestor needs are accepted, so that no value can end the directive or add another.
 */
public final class FrameAncestors {
  /**
   * {@code 'self'}, {@code 'none'}, a scheme such as {@code https:}, or a host with an optional
   * scheme, a leading {@code *.} wildcard and a port or {@code :*}.
   */
  private static final Pattern SOURCE =
      Pattern.compile(
          "'self'|'none'|[a-z][a-z0-9+.-]*:"
              + "|([a-z][a-z0-9+.-]*://)?(\\*|(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)*)(:([0-9]{1,5}|\\*))?",
          Pattern.CASE_INSENSITIVE);

  private FrameAncestors() {}

  /**
   * Splits a space-separated list of source expressions.
   *
   * @param key the config key the value came from, named in the error
   * @throws IllegalStateException when an expression is not a valid frame ancestor
   */
  public static List<String> parse(String key, String value) {
    List<String> sources =
        Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    for (String source : sources) {
      if (!SOURCE.matcher(source).matches()) {
        throw new IllegalStateException(
            "Invalid "
                + key
                + ": '"
                + source
                + "' is not a CSP source expression such as https://app.example.com,"
                + " *.example.com or localhost:4000");
      }
    }
    return sources;
  }
}
