package io.supercharger.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in config text, as Docker Compose and
 * Kubernetes users expect. {@code $${} escapes a literal. An unset variable without a default is
 * an error naming the line, so a typo cannot silently become an empty value. Comments are left
 * alone: a commented-out line or an example in a comment must not need its variables set.
 */
final class EnvExpansion {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private EnvExpansion() {}

  static String expand(String text, Map<String, String> env, String source) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      int comment = commentStart(lines[i]);
      expandLine(lines[i].substring(0, comment), env, source, i + 1, out);
      out.append(lines[i], comment, lines[i].length());
    }
    return out.toString();
  }

  private static void expandLine(
      String line, Map<String, String> env, String source, int lineNo, StringBuilder out) {
    Matcher m = REFERENCE.matcher(line);
    while (m.find()) {
      String replacement;
      if (m.group().startsWith("$$")) {
        replacement = m.group().substring(1);
      } else {
        String value = env.get(m.group(1));
        // ":-" means unset or empty, as in the shell; a plain ${NAME} set to "" stays empty.
        if (m.group(2) != null && (value == null || value.isEmpty())) {
          value = m.group(2);
        }
        if (value == null) {
          throw new ConfigException(
              source + ":" + lineNo + ": ${" + m.group(1) + "} is not set and has no default");
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
  }

  /**
   * Where a YAML comment starts on this line (its length if none): a {@code #} at the start or
   * after a blank, outside a quoted scalar. A quote opens a scalar only where a scalar can begin,
   * so the apostrophe in {@code it's} does not. Multi-line quoted scalars are not tracked.
   */
  static int commentStart(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char before = i == 0 ? ' ' : line.charAt(i - 1);
      if (quote == '"') {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quote = 0;
        }
      } else if (quote == '\'') {
        if (c == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
          i++; // '' is an escaped quote inside single quotes
        } else if (c == '\'') {
          quote = 0;
        }
      } else if (c == '#' && (before == ' ' || before == '\t')) {
        return i;
      } else if ((c == '"' || c == '\'') && " \t[{,:-".indexOf(before) >= 0) {
        quote = c;
      }
    }
    return line.length();
  }
}
