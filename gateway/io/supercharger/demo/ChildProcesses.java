package io.supercharger.demo;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PHP processes this JVM started and has not stopped yet. One shutdown hook, registered with
 * the first process, stops them all, so that a demo or test run that ends (or is interrupted with
 * ^C) leaves no php-fpm or worker behind holding its port.
 */
final class ChildProcesses {
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
  private static final Set<PhpProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

  private ChildProcesses() {}

  static void register(PhpProcess process) {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ChildProcesses::stopAll, "php-children-shutdown"));
    }
    LIVE.add(process);
  }

  static void unregister(PhpProcess process) {
    LIVE.remove(process);
  }

  private static void stopAll() {
    List<PhpProcess> all = List.copyOf(LIVE);
    // Signal everyone first: their graces then run concurrently instead of one after another.
    all.forEach(PhpProcess::terminate);
    all.forEach(process -> process.stop(SHUTDOWN_GRACE));
  }
}
