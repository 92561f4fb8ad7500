package app.miosa.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a script written for psql over JDBC, so that tests need no psql client. It supports the
 * part of psql that the report and retention scripts use:
 *
 * <ul>
 *   <li>variables: {@code :'name'} becomes a quoted SQL literal and {@code :name} the bare value,
 *       outside of string literals, quoted identifiers and comments;
 *   <li>the meta-commands {@code \set name value}, {@code \if :{?name}}, {@code \else}, {@code
 *       \endif} and {@code \echo}, each on a line of its own between statements;
 *   <li>statements ending with a semicolon, run one by one with autocommit, so that the script's
 *       own BEGIN and COMMIT delimit its transactions.
 * </ul>
 *
 * <p>Unlike psql, it always stops at the first failed statement, as psql does with ON_ERROR_STOP,
 * and it throws on a variable that is not set, where psql would send the reference unchanged.
 * Other meta-commands throw {@link UnsupportedOperationException}.
 */
public final class PsqlScript {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern IS_SET = Pattern.compile(":\\{\\?([A-Za-z_][A-Za-z0-9_]*)}");

  private final Path file;
  private final String text;

  private PsqlScript(Path file, String text) {
    this.file = file;
    this.text = text;
  }

  /** Reads a script file as UTF-8. */
  public static PsqlScript read(Path file) throws IOException {
    return new PsqlScript(file, Files.readString(file));
  }

  /**
   * Runs the script's statements in order and returns the rows of each statement that returned
   * a result set, in order. A row is its column values joined by {@code |}, with {@code null} for
   * SQL NULL, as {@code psql -A} prints them.
   *
   * @param variables psql variables, as given with {@code psql -v name=value}
   * @throws SQLException from the first statement that fails, after which nothing else runs
   */
  public List<List<String>> run(Connection connection, Map<String, String> variables)
      throws SQLException {
    Map<String, String> values = new HashMap<>(variables);
    Deque<Boolean> branches = new ArrayDeque<>();
    List<List<String>> results = new ArrayList<>();
    StringBuilder statement = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (isMetaCommandLine(i, statement)) {
        int end = lineEnd(i);
        metaCommand(text.substring(text.indexOf('\\', i), end).trim(), values, branches);
        i = end;
        continue;
      }
      char c = text.charAt(i);
      if (c == '-' && text.startsWith("--", i)) {
        i = lineEnd(i);
      } else if (c == '/' && text.startsWith("/*", i)) {
        i = closing("*/", i + 2);
      } else if (c == '\'' || c == '"') {
        int end = quoted(c, i);
        statement.append(text, i, end);
        i = end;
      } else if (c == '$' && dollarTag(i) != null) {
        String tag = dollarTag(i);
        int end = closing(tag, i + tag.length());
        statement.append(text, i, end);
        i = end;
      } else if (c == ':' && isVariableReference(i)) {
        i = substitute(i, statement, values, isActive(branches));
      } else if (c == ';') {
        if (isActive(branches)) {
          execute(connection, statement.toString(), results);
        }
        statement.setLength(0);
        i++;
      } else {
        statement.append(c);
        i++;
      }
    }
    if (!statement.toString().isBlank()) {
      throw new IllegalStateException(file + " ends with a statement without a semicolon");
    }
    if (!branches.isEmpty()) {
      throw new IllegalStateException(file + " has an \\if without \\endif");
    }
    return results;
  }

  /** Returns whether a meta-command starts at {@code i}: first on its line, between statements. */
  private boolean isMetaCommandLine(int i, StringBuilder statement) {
    if (i > 0 && text.charAt(i - 1) != '\n') {
      return false;
    }
    int first = i;
    while (first < text.length() && (text.charAt(first) == ' ' || text.charAt(first) == '\t')) {
      first++;
    }
    if (first >= text.length() || text.charAt(first) != '\\') {
      return false;
    }
    if (!statement.toString().isBlank()) {
      throw new UnsupportedOperationException(
          file + ": a meta-command inside a statement is not supported: " + text.substring(first,
              lineEnd(first)));
    }
    return true;
  }

  private void metaCommand(String line, Map<String, String> values, Deque<Boolean> branches) {
    String[] words = line.split("\\s+", 3);
    switch (words[0]) {
      case "\\if" -> branches.push(isActive(branches) && condition(line, values));
      case "\\else" -> {
        if (branches.isEmpty()) {
          throw new IllegalStateException(file + " has an \\else without \\if");
        }
        boolean ifBranchActive = branches.pop();
        branches.push(isActive(branches) && !ifBranchActive);
      }
      case "\\endif" -> {
        if (branches.isEmpty()) {
          throw new IllegalStateException(file + " has an \\endif without \\if");
        }
        branches.pop();
      }
      case "\\set" -> {
        if (isActive(branches)) {
          values.put(words[1], words.length > 2 ? words[2] : "");
        }
      }
      case "\\echo" -> {
        // Output for the person running psql.
      }
      default -> throw new UnsupportedOperationException(
          file + ": meta-command " + words[0] + " is not supported");
    }
  }

  private boolean condition(String line, Map<String, String> values) {
    String expression = line.substring("\\if".length()).trim();
    Matcher isSet = IS_SET.matcher(expression);
    if (isSet.matches()) {
      return values.containsKey(isSet.group(1));
    }
    throw new UnsupportedOperationException(
        file + ": only \\if :{?name} is supported, not: " + line);
  }

  private static boolean isActive(Deque<Boolean> branches) {
    return branches.isEmpty() || branches.peek();
  }

  /** Returns whether {@code :} at {@code i} starts a variable reference, not a {@code ::} cast. */
  private boolean isVariableReference(int i) {
    if (i > 0 && text.charAt(i - 1) == ':') {
      return false;
    }
    if (i + 1 >= text.length()) {
      return false;
    }
    char next = text.charAt(i + 1);
    return next == '\'' || Character.isLetter(next) || next == '_';
  }

  /** Appends the value of the variable at {@code i} and returns the index after its reference. */
  private int substitute(
      int i, StringBuilder statement, Map<String, String> values, boolean active) {
    boolean quoted = text.charAt(i + 1) == '\'';
    Matcher name = NAME.matcher(text);
    int start = quoted ? i + 2 : i + 1;
    if (!name.find(start) || name.start() != start) {
      throw new IllegalStateException(file + ": invalid variable reference at offset " + i);
    }
    int end = name.end();
    if (quoted) {
      if (end >= text.length() || text.charAt(end) != '\'') {
        throw new IllegalStateException(file + ": unclosed :'" + name.group() + "' reference");
      }
      end++;
    }
    String value = values.get(name.group());
    if (value == null) {
      if (active) {
        throw new IllegalArgumentException(
            file + " needs the variable " + name.group() + ", which is not set");
      }
      return end;
    }
    statement.append(quoted ? "'" + value.replace("'", "''") + "'" : value);
    return end;
  }

  private int lineEnd(int i) {
    int end = text.indexOf('\n', i);
    return end < 0 ? text.length() : end;
  }

  private int closing(String delimiter, int from) {
    int end = text.indexOf(delimiter, from);
    if (end < 0) {
      throw new IllegalStateException(file + ": " + delimiter + " is never closed");
    }
    return end + delimiter.length();
  }

  /** Returns the index after the literal or identifier that opens at {@code i}. */
  private int quoted(char quote, int i) {
    int j = i + 1;
    while (true) {
      int end = text.indexOf(quote, j);
      if (end < 0) {
        throw new IllegalStateException(file + ": quote at offset " + i + " is never closed");
      }
      // A doubled quote is one quote character inside the literal.
      if (end + 1 < text.length() && text.charAt(end + 1) == quote) {
        j = end + 2;
      } else {
        return end + 1;
      }
    }
  }

  /** Returns the dollar-quote tag that opens at {@code i}, such as {@code $$}, or null. */
  private String dollarTag(int i) {
    Matcher tag = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$").matcher(text);
    if (tag.find(i) && tag.start() == i) {
      return tag.group();
    }
    return null;
  }

  private static void execute(Connection connection, String sql, List<List<String>> results)
      throws SQLException {
    if (sql.isBlank()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      if (statement.execute(sql)) {
        try (ResultSet rows = statement.getResultSet()) {
          results.add(rowsOf(rows));
        }
      }
    }
  }

  private static List<String> rowsOf(ResultSet rows) throws SQLException {
    int columns = rows.getMetaData().getColumnCount();
    List<String> lines = new ArrayList<>();
    while (rows.next()) {
      StringJoiner line = new StringJoiner("|");
      for (int column = 1; column <= columns; column++) {
        line.add(String.valueOf(rows.getString(column)));
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
