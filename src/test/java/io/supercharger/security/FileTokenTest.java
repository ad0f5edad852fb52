package io.supercharger.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.supercharger.security.EndpointGuard.Mode;
import io.supercharger.security.EndpointGuard.Verdict;
import io.supercharger.testing.MutableClock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenTest {

  static final String TOKEN_A = "token-aaaaaaaaaaaa";
  static final String TOKEN_B =
      "token-bbbbbbbbbbbb"; // same length: only the mtime tells them apart
  static final Duration INTERVAL = Duration.ofSeconds(5);

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  final RecordingLogger log = new RecordingLogger();

  FileToken fileToken(Path path) {
    return new FileToken(path, clock, INTERVAL, log);
  }

  static Verdict present(EndpointGuard guard, String token) {
    return guard.check("203.0.113.7", name -> name.equals("X-Runtime-Token") ? token : null);
  }

  /**
   * Rotation: B replaces A in place (same size, newer mtime). Until the interval has passed the old
   * token still holds; after it, A is refused and B accepted, through the guard's digest cache.
   */
  @Test
  void rotationTakesEffectAfterTheInterval() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN_A + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
    FileToken tokens = fileToken(file);
    EndpointGuard guard = new EndpointGuard(Mode.TOKEN, CidrList.EMPTY, "X-Runtime-Token", tokens);
    assertEquals(Verdict.ALLOWED, present(guard, TOKEN_A));
    assertEquals(Verdict.BAD_TOKEN, present(guard, TOKEN_B));

    Files.writeString(file, TOKEN_B + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:10:00Z")));
    clock.advance(INTERVAL.minusMillis(1));
    assertEquals(Verdict.ALLOWED, present(guard, TOKEN_A));
    assertEquals(Verdict.BAD_TOKEN, present(guard, TOKEN_B));

    clock.advance(Duration.ofMillis(1));
    assertEquals(Verdict.BAD_TOKEN, present(guard, TOKEN_A));
    assertEquals(Verdict.ALLOWED, present(guard, TOKEN_B));
    assertEquals(
        List.of("INFO token loaded from " + file, "INFO token reloaded from " + file), log.lines);
  }

  /** A same-mtime rewrite is still seen when the size changes. */
  @Test
  void sizeChangeAloneTriggersARead() throws IOException {
    Path file = dir.resolve("token");
    FileTime mtime = FileTime.from(Instant.parse("2025-01-01T00:00:00Z"));
    Files.writeString(file, "short");
    Files.setLastModifiedTime(file, mtime);
    FileToken tokens = fileToken(file);
    Files.writeString(file, "much-longer");
    Files.setLastModifiedTime(file, mtime);
    clock.advance(INTERVAL);
    assertArrayEquals(bytes("much-longer"), tokens.current());
  }

  /**
   * The guard hashes once per token instance, so an unchanged (or merely touched) file keeps it.
   */
  @Test
  void unchangedTokenKeepsItsInstance() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN_A);
    FileToken tokens = fileToken(file);
    byte[] first = tokens.current();
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    clock.advance(INTERVAL);
    assertSame(first, tokens.current());
    assertEquals(1, log.lines.size()); // a touch is not a rotation
  }

  @Test
  void trailingWhitespaceIsTrimmed() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, " spaced token \r\n\t\n");
    assertArrayEquals(bytes(" spaced token"), fileToken(file).current());
  }

  /** A missing file denies, warns once however often it is checked, and recovers when written. */
  @Test
  void missingFileDeniesAndWarnsOnce() throws IOException {
    Path file = dir.resolve("absent");
    FileToken tokens = fileToken(file);
    EndpointGuard guard = new EndpointGuard(Mode.TOKEN, CidrList.EMPTY, "X-Runtime-Token", tokens);
    for (int i = 0; i < 3; i++) {
      assertEquals(Verdict.BAD_TOKEN, present(guard, TOKEN_A));
      clock.advance(INTERVAL);
    }
    assertEquals(
        List.of(
            "WARNING token file " + file + " is missing; requests needing the token are denied"),
        log.lines);

    Files.writeString(file, TOKEN_A);
    clock.advance(INTERVAL);
    assertEquals(Verdict.ALLOWED, present(guard, TOKEN_A));

    Files.delete(file);
    clock.advance(INTERVAL);
    assertEquals(Verdict.BAD_TOKEN, present(guard, TOKEN_A));
    assertEquals(2, log.warnings());
    assertEquals(
        List.of(
            "WARNING token file " + file + " is missing; requests needing the token are denied",
            "INFO token loaded from " + file,
            "WARNING token file " + file + " is missing; requests needing the token are denied"),
        log.lines.subList(0, 3));
  }

  @Test
  void emptyFileMeansNoToken() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, "\n");
    FileToken tokens = fileToken(file);
    assertNull(tokens.current());
    clock.advance(INTERVAL);
    assertNull(tokens.current());
    assertEquals(1, log.warnings());
  }

  /** A token_file pointing at a log or a device must not be slurped into memory. */
  @Test
  void oversizedFileIsNotAToken() throws IOException {
    Path file = dir.resolve("big");
    Files.write(file, new byte[FileToken.MAX_BYTES + 1]);
    assertNull(fileToken(file).current());
    assertNull(fileToken(dir).current()); // a directory
  }

  @Test
  void neverShowsTheTokenNorItsLength() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN_A);
    FileToken tokens = fileToken(file);
    Files.writeString(file, TOKEN_B + "-longer");
    clock.advance(INTERVAL);
    tokens.current();
    List<String> shown = new ArrayList<>(log.lines);
    shown.add(tokens.toString());
    for (String shownLine : shown) {
      String line = shownLine.replace(file.toString(), "<path>"); // a temp path may hold digits
      assertFalse(line.contains(TOKEN_A) || line.contains(TOKEN_B), line);
      assertFalse(line.contains(String.valueOf(TOKEN_A.length())), line);
      assertFalse(line.contains(String.valueOf((TOKEN_B + "-longer").length())), line);
    }
  }

  @Test
  void rejectsNegativeInterval() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new FileToken(dir.resolve("t"), clock, Duration.ofSeconds(-1)));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Captures what FileToken logs, as "LEVEL message". */
  static final class RecordingLogger implements System.Logger {
    final List<String> lines = new ArrayList<>();

    long warnings() {
      return lines.stream().filter(l -> l.startsWith("WARNING")).count();
    }

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + (params == null ? format : MessageFormat.format(format, params)));
    }
  }
}
