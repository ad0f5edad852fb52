package io.supercharger.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runbook's environment variables, each mapped onto a config key. They win over the file.
 * RUNTIME_ENDPOINT_SECURITY_TOKEN is not mapped: the token stays out of the config tree so that
 * nothing that prints the tree can print the secret.
 */
final class EnvOverrides {
  static final String TOKEN_VARIABLE = "RUNTIME_ENDPOINT_SECURITY_TOKEN";

  private static final Map<String, String[]> VARIABLES = new LinkedHashMap<>();

  static {
    map("RUNTIME_ENDPOINT_SECURITY_ENABLED", "security", "enabled");
    map("RUNTIME_ENDPOINT_SECURITY_MODE", "security", "mode");
    map("RUNTIME_ENDPOINT_SECURITY_ALLOWLIST", "security", "allowlist");
    map("RUNTIME_ENDPOINT_SECURITY_TOKEN_HEADER", "security", "token_header");
    map("RUNTIME_ENDPOINT_SECURITY_TOKEN_FILE", "security", "token_file");
    map("RUNTIME_ENDPOINT_SECURITY_TRUSTED_PROXIES", "security", "trusted_proxies");
    map("RUNTIME_WORKER_LIFECYCLE_ENABLED", "lifecycle", "enabled");
    map("RUNTIME_WORKER_LIFECYCLE_MAX_REQUEST", "lifecycle", "max_request");
    map("RUNTIME_WORKER_LIFECYCLE_MAX_MEMORY_MB", "lifecycle", "max_memory_mb");
    map("RUNTIME_WORKER_LIFECYCLE_MAX_UPTIME_SECOND", "lifecycle", "max_uptime_second");
    map("RUNTIME_WORKER_LIFECYCLE_DRAIN_SECOND", "lifecycle", "drain_second");
  }

  private EnvOverrides() {}

  private static void map(String variable, String section, String key) {
    VARIABLES.put(variable, new String[] {section, key});
  }

  @SuppressWarnings("unchecked")
  static void apply(Map<String, Object> root, Map<String, String> env) {
    VARIABLES.forEach(
        (variable, target) -> {
          String value = env.get(variable);
          if (value == null) {
            return;
          }
          Object section = root.get(target[0]);
          Map<String, Object> sectionMap;
          if (section instanceof Map<?, ?> m) {
            sectionMap = (Map<String, Object>) m;
          } else if (section == null) {
            sectionMap = new LinkedHashMap<>();
            root.put(target[0], sectionMap);
          } else {
            return; // "security: 5" stays as written, so validation reports it instead of the
                    // override hiding it
          }
          sectionMap.put(target[1], new EnvValue(variable, value));
        });
  }
}
