package io.supercharger.config;

import io.supercharger.security.Cidr;
import java.util.List;

/**
 * Guard of /status, /metrics and /admin (runbook: RUNTIME_ENDPOINT_SECURITY_*). The token itself is
 * taken only from the environment, never from the file, so that configs can be shared.
 */
public record SecurityConfig(
    boolean enabled,
    String mode,
    List<String> allowlist,
    String tokenHeader,
    String tokenFile,
    Secret token,
    List<String> trustedProxies) {

  static final List<String> MODES =
      List.of("off", "allowlist", "token", "allowlist_or_token", "allowlist_and_token");

  /** The mode in force: {@code off} when the guard is disabled. */
  public String effectiveMode() {
    return enabled ? mode : "off";
  }

  public boolean hasTokenSource() {
    return token.isPresent() || (tokenFile != null && !tokenFile.isEmpty());
  }

  static SecurityConfig read(Node node, ConfigPaths paths, String envToken) {
    boolean enabled = node.bool("enabled", true);
    // YAML 1.1 reads a bare `off` as false; a user who writes `mode: off` means the mode.
    String mode =
        Boolean.FALSE.equals(node.raw("mode"))
            ? "off"
            : node.oneOf("mode", "allowlist_or_token", MODES);
    List<String> allowlist = cidrs(node, "allowlist", List.of("127.0.0.1/32", "::1/128"));
    String header = node.string("token_header", "X-Runtime-Token");
    if (!header.matches("[A-Za-z0-9-]+")) {
      node.problems().add(node.where("token_header", ""), header, "expected a header name");
    }
    String tokenFile = paths.resolve(node.string("token_file", ""));
    List<String> trusted = cidrs(node, "trusted_proxies", List.of());
    node.rejectUnknownKeys();
    SecurityConfig c =
        new SecurityConfig(
            enabled, mode, allowlist, header, tokenFile, new Secret(envToken), trusted);
    String effective = c.effectiveMode();
    if ((effective.equals("token") || effective.equals("allowlist_and_token"))
        && !c.hasTokenSource()) {
      node.problems()
          .add(
              node.pathOf("token_file")
                  + ": mode "
                  + effective
                  + " needs a token: set token_file or RUNTIME_ENDPOINT_SECURITY_TOKEN");
    }
    return c;
  }

  private static List<String> cidrs(Node node, String key, List<String> fallback) {
    List<String> values = node.strings(key, fallback);
    for (int i = 0; i < values.size(); i++) {
      try {
        Cidr.parse(values.get(i));
      } catch (IllegalArgumentException e) {
        node.problems().add(node.where(key, "[" + i + "]") + ": " + e.getMessage());
      }
    }
    return values;
  }
}
