package io.supercharger.security;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token read from {@code RUNTIME_ENDPOINT_SECURITY_TOKEN_FILE}, re-read when the file is rotated.
 *
 * <p>{@link #current()} runs on the event loop for every guarded request, so it looks at the file
 * at most once per {@code checkInterval} of the injected clock; in between it is a clock read and
 * two volatile reads. A look is a {@code stat}; the file (at most {@value #MAX_BYTES} bytes) is
 * read only when its mtime, size or identity (inode, so a rename-over with the same mtime and size
 * is still seen) changed. One caller wins the check; the others keep the token they had.
 *
 * <p>A missing, empty, oversized or unreadable file means no token: requests needing one are
 * denied, and one warning is logged until the file becomes usable again. Neither the token nor its
 * length is ever logged.
 */
public final class FileToken implements TokenSource {

  static final int MAX_BYTES = 64 * 1024;

  private final Path path;
  private final Clock clock;
  private final long intervalMillis;
  private final System.Logger log;
  private final AtomicLong nextCheckMillis;
  private volatile byte[] token;

  // Guarded by this.
  private Stamp stamp;
  private String lastWarning;

  private record Stamp(FileTime mtime, long size, Object fileKey) {}

  /**
   * Reads the file once now. Production passes {@code Clock.systemUTC()}; tests pass a clock they
   * advance.
   */
  public FileToken(Path path, Clock clock, Duration checkInterval) {
    this(path, clock, checkInterval, System.getLogger(FileToken.class.getName()));
  }

  FileToken(Path path, Clock clock, Duration checkInterval, System.Logger log) {
    this.path = Objects.requireNonNull(path, "path");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(checkInterval, "checkInterval");
    if (checkInterval.isNegative()) {
      throw new IllegalArgumentException("checkInterval: " + checkInterval + " (expected >= 0)");
    }
    this.intervalMillis = checkInterval.toMillis();
    this.log = log;
    refresh();
    this.nextCheckMillis = new AtomicLong(clock.millis() + intervalMillis);
  }

  @Override
  public byte[] current() {
    long now = clock.millis();
    long next = nextCheckMillis.get();
    // The second test catches a wall clock stepped backwards, which would otherwise postpone
    // the next look by the size of the step.
    boolean due = now >= next || next - now > intervalMillis;
    if (due && nextCheckMillis.compareAndSet(next, now + intervalMillis)) {
      refresh();
    }
    return token;
  }

  public Path path() {
    return path;
  }

  private synchronized void refresh() {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      stamp = null;
      unavailable("token file " + path + " is missing; requests needing the token are denied");
      return;
    } catch (IOException e) {
      stamp = null;
      unavailable(
          "token file "
              + path
              + " cannot be read ("
              + e
              + "); requests needing the token"
              + " are denied");
      return;
    }
    Stamp seen = new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    if (seen.equals(stamp)) {
      return;
    }
    // The stamp is taken before reading, so a write racing this read changes it again and is
    // picked up at the next look.
    stamp = seen;
    byte[] bytes;
    try {
      bytes = attributes.isRegularFile() ? readBounded() : null;
    } catch (IOException e) {
      stamp = null; // retry at the next look even if nothing changes
      unavailable(
          "token file "
              + path
              + " cannot be read ("
              + e
              + "); requests needing the token"
              + " are denied");
      return;
    }
    if (bytes == null) {
      unavailable(
          "token file "
              + path
              + " is not a regular file of at most "
              + MAX_BYTES
              + " bytes; requests needing the token are denied");
      return;
    }
    bytes = trimTrailingWhitespace(bytes);
    if (bytes.length == 0) {
      unavailable("token file " + path + " is empty; requests needing the token are denied");
      return;
    }
    byte[] previous = token;
    if (previous != null && Arrays.equals(previous, bytes)) {
      return; // touched, not rotated: keep the same instance so the guard keeps its digest
    }
    token = bytes;
    lastWarning = null;
    log.log(Level.INFO, (previous == null ? "token loaded from " : "token reloaded from ") + path);
  }

  private void unavailable(String warning) {
    token = null;
    if (!warning.equals(lastWarning)) {
      lastWarning = warning;
      log.log(Level.WARNING, warning);
    }
  }

  /** The file's bytes, or null when it holds more than {@link #MAX_BYTES} (not a token file). */
  private byte[] readBounded() throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      return bytes.length > MAX_BYTES ? null : bytes;
    }
  }

  private static byte[] trimTrailingWhitespace(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && isWhitespace(bytes[end - 1])) {
      end--;
    }
    return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
  }

  @Override
  public String toString() {
    return "FileToken{path="
        + path
        + ", checkInterval="
        + Duration.ofMillis(intervalMillis)
        + ", "
        + (token == null ? "unavailable" : "loaded")
        + "}";
  }
}
