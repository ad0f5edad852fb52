package io.supercharger.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Stores a run as DIR/&lt;timestamp&gt;-&lt;name&gt;/report.json and report.html, and finds the
 * newest one.
 */
public final class ReportStore {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String RESOURCES = "io/supercharger/bench/";

  private ReportStore() {}

  /** Writes both files and returns the run's folder. */
  public static Path write(Path dir, String name, Instant at, JsonObject report)
      throws IOException {
    Path run = dir.resolve(STAMP.format(at) + "-" + name);
    for (int n = 2; Files.exists(run); n++) {
      run = dir.resolve(STAMP.format(at) + "-" + name + "-" + n);
    }
    Files.createDirectories(run);
    Files.writeString(
        run.resolve("report.json"), report.encodePrettily() + "\n", StandardCharsets.UTF_8);
    Files.writeString(run.resolve("report.html"), html(report), StandardCharsets.UTF_8);
    return run;
  }

  /** The self-contained page: the template with uPlot and the report inlined. */
  public static String html(JsonObject report) throws IOException {
    // "</" would end the <script> element early; "<\/" is the same JSON string.
    String json = report.encode().replace("</", "<\\/");
    return resource("report-template.html")
        .replace("/*__UPLOT_CSS__*/", resource("uPlot.min.css"))
        .replace("/*__UPLOT_JS__*/", resource("uPlot.iife.min.js"))
        .replace("__REPORT_JSON__", json);
  }

  /**
   * The newest report under {@code dir}: {@code dir/report.json} itself, or the newest {@code
   * dir/*}{@code /report.json} by its generated_at.
   */
  public static Optional<Path> latest(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("report.json"))) {
      return Optional.of(dir.resolve("report.json"));
    }
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> runs = Files.list(dir)) {
      return runs.map(p -> p.resolve("report.json"))
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(ReportStore::generatedAt));
    }
  }

  private static Instant generatedAt(Path reportJson) {
    try {
      return Instant.parse(new JsonObject(Files.readString(reportJson)).getString("generated_at"));
    } catch (Exception e) {
      // An unreadable report sorts first, so a good one is preferred; the gate reads it and says
      // why.
      return Instant.EPOCH;
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        ReportStore.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException(RESOURCES + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
