package io.supercharger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.supercharger.demo.PhpBinaries;
import io.supercharger.testing.PhpStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Processes that open a new database together, as FPM children do when their first requests arrive
 * at once: every one gets its rows. SQLite answers the switch to WAL with "database is locked" at
 * once, without its busy timeout, to all but one of them; the app must retry it.
 */
class FirstBootRaceTest {
  private static final int ROUNDS = 12;
  private static final int PROCESSES = 4;

  @Test
  void processesOpeningANewDatabaseTogetherAllGetTheirRows() throws Exception {
    Path dir = Files.createTempDirectory("sc-first-boot");
    Path script = dir.resolve("first-query.php");
    Files.writeString(
        script,
        """
        <?php
        require '%s';
        // Start together: the race is between the first queries, not the PHP start-ups.
        $at = (float) getenv('START_AT');
        while (microtime(true) < $at) { usleep(100); }
        $db = App\\Doctrine\\ConnectionFactory::create(new App\\Doctrine\\LinkDropper());
        echo count($db->fetchAllAssociative('SELECT id FROM categories')), "\\n";
        """
            .formatted(PhpStack.PHP_DIR.resolve("app/bootstrap.php").toAbsolutePath().normalize()));
    for (int round = 0; round < ROUNDS; round++) {
      Path database = dir.resolve("round-" + round + ".sqlite");
      // Far enough ahead for every process to be up and spinning when it comes.
      String startAt = String.valueOf(System.currentTimeMillis() / 1000.0 + 0.4);
      List<Process> processes = new ArrayList<>();
      for (int p = 0; p < PROCESSES; p++) {
        ProcessBuilder builder =
            new ProcessBuilder(PhpBinaries.php().toString(), script.toString())
                .redirectErrorStream(true);
        builder.environment().put("APP_DATABASE", database.toString());
        builder.environment().put("START_AT", startAt);
        processes.add(builder.start());
      }
      for (Process process : processes) {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        assertEquals("20\n", output, "round " + round);
      }
    }
  }
}
