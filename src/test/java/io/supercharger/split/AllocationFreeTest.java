package io.supercharger.split;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Guards the hot-path promise for the picks that need no per-client state: round-robin and override
 * return preallocated decisions. (Sticky picks allocate one small decision, which escape analysis
 * usually removes once inlined; it is not asserted here.)
 */
class AllocationFreeTest {

  @Test
  void roundRobinAndOverridePicksDoNotAllocate() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) bean;
    Splitter splitter =
        new Splitter(StickyMode.HEADER, true, SplitterTest.weights("worker=10,fpm=90"));
    SplitDecision[] sink = new SplitDecision[1];
    Runnable work =
        () -> {
          for (int i = 0; i < 100_000; i++) {
            sink[0] = splitter.pick((i & 1) == 0 ? "worker" : null, null);
          }
        };
    long id = Thread.currentThread().getId();
    work.run();
    long before = hotspot.getThreadAllocatedBytes(id);
    work.run();
    long bytes = hotspot.getThreadAllocatedBytes(id) - before;
    assertTrue(bytes < 1024, "allocated " + bytes + " bytes for 100k picks");
  }
}
