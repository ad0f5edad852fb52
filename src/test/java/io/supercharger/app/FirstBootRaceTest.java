package io.supercharger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.PhpBinaries;
import io.supercharger.testing.PhpStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Processes that open a new database together, as FPM children do when their first requests arrive
 * at once: every one gets its rows. SQLite answers the switch to WAL with "database is locked" at
 * once, without its busy timeout, to all but one of them; the app must retry it.
 */
class FirstBootRaceTest {
  private static final int ROUNDS = 30;
  private static final int PROCESSES = 4;
  private static final int STAGGER_US = 3_000;

  @Test
  void processesOpeningANewDatabaseTogetherAllGetTheirRows() throws Exception {
    Path dir = Files.createTempDirectory("sc-first-boot");
    Path script = dir.resolve("first-query.php");
    Files.writeString(
        script,
        """
        <?php
        require '%s';
        // Start together: each says it is up, then waits for the go, so the race is between
        // the first queries and not the PHP start-ups.
        echo "ready\\n";
        flush();
        while (!file_exists(getenv('GO'))) { usleep(100); }
        usleep((int) getenv('STAGGER_US'));
        $db = App\\Doctrine\\ConnectionFactory::create(new App\\Doctrine\\LinkDropper());
        echo count($db->fetchAllAssociative('SELECT id FROM categories')), "\\n";
        """
            .formatted(PhpStack.PHP_DIR.resolve("app/bootstrap.php").toAbsolutePath().normalize()));
    Random stagger = new Random(42);
    for (int round = 0; round < ROUNDS; round++) {
      Path go = dir.resolve("go-" + round);
      List<Process> processes = new ArrayList<>();
      try {
        for (int p = 0; p < PROCESSES; p++) {
          ProcessBuilder builder =
              new ProcessBuilder(PhpBinaries.php().toString(), script.toString())
                  .redirectErrorStream(true);
          builder.environment().put("APP_DATABASE", dir.resolve(round + ".sqlite").toString());
          builder.environment().put("GO", go.toString());
          // Up to a few milliseconds apart, differently each round: the race is lost when one
          // process is inside its switch to WAL as the next one asks for it.
          builder.environment().put("STAGGER_US", String.valueOf(stagger.nextInt(STAGGER_US)));
          processes.add(builder.start());
        }
        for (Process process : processes) {
          assertEquals("ready", firstLine(process), "round " + round);
        }
        Files.createFile(go);
        for (Process process : processes) {
          assertTrue(process.waitFor(30, TimeUnit.SECONDS), "round " + round + ": PHP hangs");
          String output =
              new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertEquals("20\n", output, "round " + round);
        }
      } finally {
        processes.forEach(Process::destroyForcibly);
      }
    }
  }

  /** The first line a process prints, read byte by byte so nothing after it is consumed. */
  private static String firstLine(Process process) throws Exception {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = process.getInputStream().read()) != -1 && b != '\n') {
      line.append((char) b);
    }
    return line.toString();
  }
}
