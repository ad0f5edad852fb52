package io.supercharger.routing;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Guards the hot-path promise: normalizing an already-normal path and matching a route allocate
 * nothing. Measured with HotSpot's per-thread allocation counter, which is exact, so the budget is
 * a few hundred bytes for 100k calls (the counter's own bookkeeping), not a statistic.
 */
class AllocationFreeTest {

  static long allocatedBytes(Runnable work) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) bean;
    long id = Thread.currentThread().getId();
    work.run(); // warm up: class loading, string switch tables
    long before = hotspot.getThreadAllocatedBytes(id);
    work.run();
    return hotspot.getThreadAllocatedBytes(id) - before;
  }

  @Test
  void normalizeFastPathAndMatchDoNotAllocate() {
    RouteTable table =
        new RouteTable(
            List.of(
                new Route(
                    "orders_write",
                    "/api/orders",
                    Set.of("POST", "PUT"),
                    RouteClass.WRITE,
                    0,
                    null),
                new Route("orders", "/api/orders", Set.of("GET"), RouteClass.READ, 1, null),
                new Route("api", "/api", Set.of(), RouteClass.READ, 2, null)));
    String[] paths = {"/api/orders/7", "/api/orders", "/api/ordersX", "/index.php", "/"};
    String[] methods = {"GET", "POST", "DELETE"};
    Route[] sink = new Route[1];
    long bytes =
        allocatedBytes(
            () -> {
              for (int i = 0; i < 100_000; i++) {
                String path = PathNormalizer.normalize(paths[i % paths.length]);
                sink[0] = table.match(methods[i % methods.length], path);
              }
            });
    assertSame(table.routes().get(2), table.match("DELETE", "/api/orders/7"));
    assertTrue(bytes < 1024, "allocated " + bytes + " bytes for 100k requests");
  }
}
