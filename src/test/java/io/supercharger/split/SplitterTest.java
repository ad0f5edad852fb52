package io.supercharger.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.split.SplitDecision.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SplitterTest {

  /** Ordered weights from "name=weight,..." (the order matters: it fixes the bucket ranges). */
  static Map<String, Integer> weights(String spec) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (String kv : spec.split(",")) {
      String[] p = kv.split("=");
      map.put(p[0], Integer.valueOf(p[1]));
    }
    return map;
  }

  /** Round-robin picks as a string of the pools' first letters. */
  private static String picks(Splitter splitter, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(splitter.pick(null, null).pool().charAt(0));
    }
    return sb.toString();
  }

  private static Splitter none(String spec) {
    return new Splitter(StickyMode.NONE, false, weights(spec));
  }

  /** Deterministic new buckets: always the first of the range. */
  private static Splitter cookie(String spec) {
    return new Splitter(StickyMode.COOKIE, true, weights(spec), (origin, bound) -> origin);
  }

  @Test
  void aSinglePoolNeedsNoStickyCookie() {
    Splitter single = cookie("worker=100");
    SplitDecision d = single.pick(null, null);
    assertEquals("worker", d.pool());
    assertFalse(d.assignCookie(), "nothing is split, so there is nothing to keep sticky");
    // Two pools, one of them at weight 0, still assign: the canary may be raised later.
    assertTrue(cookie("worker=100,fpm=0").pick(null, null).assignCookie());
  }

  // --- smooth weighted round-robin: exact sequences, worked out by hand from nginx's algorithm ---

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // reduced to {1,9}: scores reach a tie 5:5 at the 5th pick, and a tie goes to the first
        // pool
        "worker=10,fpm=90 | ffffwfffff",
        "worker=50,fpm=50 | wf",
        "worker=0,fpm=100 | f",
        "worker=100,fpm=0 | w",
        "worker=90,fpm=10 | wwwwwfwwww",
        // nginx's own example shape: {2,1,1} -> a b c a
        "a=50,b=25,c=25   | abca",
        "a=20,b=30,c=50   | cbacbccabc",
      })
  void roundRobinSequenceIsExact(String spec, String period) {
    Splitter splitter = none(spec);
    assertEquals(period.length(), splitter.snapshot().roundRobinPeriod());
    assertEquals(period.repeat(3), picks(splitter, period.length() * 3));
  }

  @Test
  void roundRobinOneInHundredPicksWorkerOnceInTheMiddle() {
    // Weights {1,99}: after k fpm picks the scores are worker=k, fpm=100-k; they tie at k=50.
    String expected = "f".repeat(49) + "w" + "f".repeat(50);
    assertEquals(expected.repeat(2), picks(none("worker=1,fpm=99"), 200));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "worker=10,fpm=90",
        "worker=1,fpm=99",
        "worker=33,fpm=67",
        "worker=0,fpm=100",
        "a=7,b=13,c=80"
      })
  void everyWindowOfHundredPicksHasExactCounts(String spec) {
    Splitter splitter = none(spec);
    List<Integer> seq = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      seq.add(splitter.pick(null, null).poolIndex());
    }
    SplitSnapshot s = splitter.snapshot();
    for (int start = 0; start + 100 <= seq.size(); start++) {
      int[] counts = new int[s.poolCount()];
      for (int i = start; i < start + 100; i++) {
        counts[seq.get(i)]++;
      }
      for (int p = 0; p < counts.length; p++) {
        assertEquals(s.weight(p), counts[p], "window at " + start + ", pool " + s.pool(p));
      }
    }
  }

  /** Guards the lock-free claim: concurrent picks must not skip or repeat counter positions. */
  @Test
  void concurrentPicksTotalExactlyByWeight() throws Exception {
    Splitter splitter = none("worker=10,fpm=90");
    int threads = 8;
    int perThread = 25_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<int[]>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(
            () -> {
              int[] counts = new int[2];
              for (int i = 0; i < perThread; i++) {
                counts[splitter.pick(null, null).poolIndex()]++;
              }
              return counts;
            });
      }
      int[] total = new int[2];
      for (Future<int[]> f : pool.invokeAll(tasks)) {
        total[0] += f.get()[0];
        total[1] += f.get()[1];
      }
      assertEquals(20_000, total[0]);
      assertEquals(180_000, total[1]);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void roundRobinDecisionsArePreallocated() {
    Splitter splitter = none("worker=50,fpm=50");
    SplitDecision first = splitter.pick(null, null);
    splitter.pick(null, null);
    assertSame(first, splitter.pick(null, null));
    assertEquals(Reason.ROUND_ROBIN, first.reason());
    assertEquals(-1, first.bucket());
    assertFalse(first.assignCookie());
  }

  // --- buckets and stickiness ---

  @Test
  void cookieBucketMapsToTheRangeOwner() {
    Splitter splitter = cookie("worker=10,fpm=90");
    for (int bucket = 0; bucket < 10_000; bucket++) {
      SplitDecision d = splitter.pick(null, Integer.toString(bucket));
      assertEquals(bucket < 1000 ? "worker" : "fpm", d.pool());
      assertEquals(bucket, d.bucket());
      assertEquals(Reason.STICKY, d.reason());
      assertFalse(d.assignCookie());
    }
  }

  @Test
  void rangesFollowPoolOrder() {
    SplitSnapshot s = SplitSnapshot.of(weights("a=20,b=0,c=30,d=50"));
    assertEquals(
        List.of(0, 2000, 2000, 5000),
        List.of(s.rangeStart(0), s.rangeStart(1), s.rangeStart(2), s.rangeStart(3)));
    assertEquals(
        List.of(2000, 2000, 5000, 10_000),
        List.of(s.rangeEnd(0), s.rangeEnd(1), s.rangeEnd(2), s.rangeEnd(3)));
    assertEquals(0, s.poolOfBucket(1999));
    assertEquals(2, s.poolOfBucket(2000));
    assertEquals(3, s.poolOfBucket(9999));
  }

  /**
   * The canary ramp's promise: raising the worker weight moves clients only from fpm to worker, so
   * a client never bounces back to FPM mid-ramp. Checked on every bucket.
   */
  @ParameterizedTest
  @CsvSource({"10,25", "0,1", "1,5", "25,50", "50,100", "0,100"})
  void raisingWorkerWeightMovesBucketsOnlyFromFpmToWorker(int from, int to) {
    Splitter splitter = cookie("worker=" + from + ",fpm=" + (100 - from));
    SplitSnapshot before = splitter.snapshot();
    SplitSnapshot after = splitter.update(weights("fpm=" + (100 - to) + ",worker=" + to));
    assertSame(after, splitter.snapshot());
    assertEquals(List.of("worker", "fpm"), after.pools(), "the update keeps the configured order");
    int moved = 0;
    for (int bucket = 0; bucket < 10_000; bucket++) {
      String was = before.pool(before.poolOfBucket(bucket));
      String now = after.pool(after.poolOfBucket(bucket));
      if (!was.equals(now)) {
        assertEquals("fpm", was, "bucket " + bucket);
        assertEquals("worker", now, "bucket " + bucket);
        moved++;
      }
      assertEquals(now, splitter.pick(null, Integer.toString(bucket)).pool());
    }
    assertEquals((to - from) * 100, moved);
  }

  @Test
  void missingCookieGetsARoundRobinPoolAndABucketInsideIt() {
    Splitter splitter =
        new Splitter(
            StickyMode.COOKIE, false, weights("worker=10,fpm=90"), (origin, bound) -> bound - 1);
    StringBuilder pools = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      SplitDecision d = splitter.pick(null, null);
      assertEquals(Reason.NEW_ASSIGNMENT, d.reason());
      assertTrue(d.assignCookie());
      assertEquals(d.pool().equals("worker") ? 999 : 9999, d.bucket());
      // the assigned bucket brings the client back to the same pool
      assertEquals(d.pool(), splitter.pick(null, Integer.toString(d.bucket())).pool());
      pools.append(d.pool().charAt(0));
    }
    assertEquals("ffffwfffff", pools.toString());
  }

  @Test
  void randomBucketsStayInsideTheChosenPoolsRange() {
    Splitter splitter = new Splitter(StickyMode.COOKIE, false, weights("worker=10,fpm=90"));
    for (int i = 0; i < 1000; i++) {
      SplitDecision d = splitter.pick(null, null);
      SplitSnapshot s = splitter.snapshot();
      assertTrue(
          d.bucket() >= s.rangeStart(d.poolIndex()) && d.bucket() < s.rangeEnd(d.poolIndex()),
          d.toString());
    }
  }

  /** A forged cookie must never choose a pool: it is replaced like a missing one. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "-1",
        "10000",
        "99999",
        "1e3",
        " 5",
        "5 ",
        "+5",
        "05",
        "0x10",
        "١٢",
        "worker",
        "fpm",
        "12345678901234567890123456789012345678901234567890"
      })
  void forgedCookieGetsANewAssignment(String forged) {
    SplitDecision d = cookie("worker=10,fpm=90").pick(null, forged);
    assertEquals(Reason.NEW_ASSIGNMENT, d.reason());
    assertTrue(d.assignCookie());
    assertEquals("fpm", d.pool(), "the first round-robin pick of {10,90}");
    assertEquals(1000, d.bucket());
  }

  @Test
  void veryLongCookieIsRejectedWithoutParsing() {
    assertEquals(-1, StickyKeys.cookieBucket("1".repeat(100_000)));
    assertEquals(0, StickyKeys.cookieBucket("0"));
    assertEquals(9999, StickyKeys.cookieBucket("9999"));
  }

  @Test
  void headerModeHashesStablyAndRoundRobinsWithoutAKey() {
    Splitter splitter = new Splitter(StickyMode.HEADER, false, weights("worker=10,fpm=90"));
    SplitDecision d = splitter.pick(null, "user-42");
    assertEquals(Reason.STICKY, d.reason());
    assertEquals(StickyKeys.hashBucket("user-42"), d.bucket());
    assertFalse(d.assignCookie());
    for (int i = 0; i < 50; i++) {
      assertEquals(d, splitter.pick(null, "user-42"));
    }
    assertEquals(Reason.ROUND_ROBIN, splitter.pick(null, null).reason());
    assertEquals(Reason.ROUND_ROBIN, splitter.pick(null, "").reason());
  }

  @Test
  void ipModeHashesTheAddress() {
    Splitter splitter = new Splitter(StickyMode.IP, false, weights("worker=10,fpm=90"));
    SplitDecision d = splitter.pick(null, "203.0.113.7");
    assertEquals(Reason.STICKY, d.reason());
    assertEquals(StickyKeys.hashBucket("203.0.113.7"), d.bucket());
    assertEquals(d.bucket() < 1000 ? "worker" : "fpm", d.pool());
  }

  @Test
  void noneModeIgnoresTheStickyValue() {
    Splitter splitter = none("worker=50,fpm=50");
    assertEquals(Reason.ROUND_ROBIN, splitter.pick(null, "42").reason());
  }

  // --- override ---

  @Test
  void overrideWinsWhenEnabledEvenForAWeightZeroPool() {
    Splitter splitter = new Splitter(StickyMode.COOKIE, true, weights("worker=0,fpm=100"));
    SplitDecision d = splitter.pick("worker", "9999");
    assertEquals("worker", d.pool());
    assertEquals(Reason.OVERRIDE, d.reason());
    assertEquals(-1, d.bucket());
    assertFalse(d.assignCookie(), "testing a pool must not re-home the client");
    assertSame(d, splitter.pick("worker", null));
  }

  @Test
  void unknownOverrideFallsBackToNormalSelection() {
    Splitter splitter = new Splitter(StickyMode.COOKIE, true, weights("worker=10,fpm=90"));
    assertEquals(Reason.STICKY, splitter.pick("Worker", "5").reason());
    assertEquals(Reason.STICKY, splitter.pick("", "5").reason());
  }

  @Test
  void overrideIsIgnoredWhenDisabled() {
    Splitter splitter = new Splitter(StickyMode.COOKIE, false, weights("worker=10,fpm=90"));
    SplitDecision d = splitter.pick("fpm", "5");
    assertEquals(Reason.STICKY, d.reason());
    assertEquals("worker", d.pool());
  }

  // --- validation ---

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "worker=10,fpm=80  | split.weights: sum is 90 (expected 100)",
        "worker=60,fpm=50  | split.weights: sum is 110 (expected 100)",
        "worker=-5,fpm=105 | split.weights.worker: -5 (expected: 0..100)",
        "worker=101        | split.weights.worker: 101 (expected: 0..100)",
        "worker=0,fpm=0    | split.weights: sum is 0 (expected 100)",
      })
  void rejectsInvalidWeights(String spec, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none(spec));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsEmptyAndNullWeights() {
    assertEquals(
        "split.weights: empty (expected: at least one pool)",
        assertThrows(IllegalArgumentException.class, () -> SplitSnapshot.of(Map.of()))
            .getMessage());
    Map<String, Integer> nullWeight = new LinkedHashMap<>();
    nullWeight.put("worker", null);
    assertEquals(
        "split.weights.worker: null (expected: 0..100)",
        assertThrows(IllegalArgumentException.class, () -> SplitSnapshot.of(nullWeight))
            .getMessage());
  }

  @Test
  void singlePoolTakesEverything() {
    Splitter splitter = none("fpm=100");
    assertEquals("fff", picks(splitter, 3));
    assertEquals(0, splitter.snapshot().poolOfBucket(9999));
  }

  @Test
  void updateRejectsOtherPoolsAndKeepsTheCurrentSnapshot() {
    Splitter splitter = none("worker=10,fpm=90");
    SplitSnapshot before = splitter.snapshot();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> splitter.update(weights("worker=10,swoole=90")));
    assertEquals(
        "split.weights: pools [worker, swoole] (expected: the configured pools [worker, fpm])",
        e.getMessage());
    assertEquals(
        "split.weights: sum is 95 (expected 100)",
        assertThrows(
                IllegalArgumentException.class, () -> splitter.update(weights("worker=5,fpm=90")))
            .getMessage());
    assertSame(before, splitter.snapshot());
  }

  @Test
  void updateChangesTheRoundRobinSequence() {
    Splitter splitter = none("worker=10,fpm=90");
    splitter.update(weights("worker=50,fpm=50"));
    assertEquals(Map.of("worker", 50, "fpm", 50), splitter.snapshot().weights());
    String ten = picks(splitter, 10);
    assertEquals(5, ten.chars().filter(c -> c == 'w').count());
  }

  @Test
  void stickyModeParsesTheConfigValue() {
    assertEquals(StickyMode.COOKIE, StickyMode.fromConfig("cookie"));
    assertEquals(StickyMode.HEADER, StickyMode.fromConfig("header"));
    assertEquals(StickyMode.IP, StickyMode.fromConfig("ip"));
    assertEquals(StickyMode.NONE, StickyMode.fromConfig("none"));
    assertEquals(
        "split.sticky: \"Cookie\" (expected: cookie, header, ip or none)",
        assertThrows(IllegalArgumentException.class, () -> StickyMode.fromConfig("Cookie"))
            .getMessage());
  }
}
