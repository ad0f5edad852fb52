package io.supercharger.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in config text, as Docker Compose and
 * Kubernetes users expect. {@code $${} escapes a literal. An unset variable without a default is
 * an error naming the line, so a typo cannot silently become an empty value.
 */
final class EnvExpansion {
  private static final Pattern REFERENCE = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private EnvExpansion() {}

  static String expand(String text, Map<String, String> env, String source) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String replacement;
      if (m.group().startsWith("$$")) {
        replacement = m.group().substring(1);
      } else {
        String value = env.get(m.group(1));
        if (value == null || value.isEmpty()) {
          value = m.group(2);
        }
        if (value == null) {
          int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
          throw new ConfigException(source + ":" + line + ": ${" + m.group(1) + "} is not set and has no default");
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
