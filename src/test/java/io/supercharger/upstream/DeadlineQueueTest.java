package io.supercharger.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One sweep expires exactly the entries past their deadline, in order; cancelled ones never fire.
 */
class DeadlineQueueTest {
  @Test
  void sweepExpiresInOrderAndSkipsCancelled() {
    Vertx vertx = Vertx.vertx();
    try {
      // A sweep period far beyond the test, so only the explicit sweeps below run.
      DeadlineQueue queue = new DeadlineQueue(vertx, 1000, 3_600_000);
      List<String> fired = new ArrayList<>();
      long start = System.nanoTime();
      DeadlineQueue.Entry a = queue.add(() -> fired.add("a"));
      DeadlineQueue.Entry b = queue.add(() -> fired.add("b"));
      queue.add(() -> fired.add("c"));
      queue.cancel(b);
      queue.cancel(b); // twice is harmless
      queue.sweep(start + 999_000_000L - 10_000_000L);
      assertEquals(List.of(), fired, "nothing is due before its timeout");
      queue.sweep(System.nanoTime() + 2_000_000_000L);
      assertEquals(List.of("a", "c"), fired);
      queue.cancel(a); // already expired: a no-op
      queue.add(() -> fired.add("d"));
      queue.sweep(System.nanoTime() + 2_000_000_000L);
      assertEquals(List.of("a", "c", "d"), fired);
    } finally {
      vertx.close();
    }
  }

  @Test
  void aRescheduledEntryLeavesItsOldQueueAndFiresOnceFromTheNew() {
    Vertx vertx = Vertx.vertx();
    try {
      DeadlineQueue first = new DeadlineQueue(vertx, 1000, 3_600_000);
      DeadlineQueue next = new DeadlineQueue(vertx, 5000, 3_600_000);
      List<String> fired = new ArrayList<>();
      DeadlineQueue.Entry entry = new DeadlineQueue.Entry(() -> fired.add("entry"));
      first.schedule(entry);
      next.schedule(entry);
      first.sweep(System.nanoTime() + 2_000_000_000L);
      assertEquals(List.of(), fired, "no longer in the first queue");
      next.sweep(System.nanoTime() + 6_000_000_000L);
      next.sweep(System.nanoTime() + 12_000_000_000L);
      assertEquals(List.of("entry"), fired);
      first.schedule(entry); // usable again once expired
      first.cancel(entry);
      first.sweep(System.nanoTime() + 2_000_000_000L);
      assertEquals(List.of("entry"), fired);
    } finally {
      vertx.close();
    }
  }
}
