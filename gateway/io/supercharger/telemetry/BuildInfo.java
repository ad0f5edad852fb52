package io.supercharger.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version, commit and build time, stamped into the jar by the build. */
public record BuildInfo(String version, String commit, String builtAt) {
  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in =
        BuildInfo.class.getResourceAsStream("/io/supercharger/build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // An unreadable stamp only loses the build info, never the gateway.
    }
    return new BuildInfo(
        p.getProperty("version", "dev"),
        p.getProperty("commit", "unknown"),
        p.getProperty("built_at", "unknown"));
  }
}
