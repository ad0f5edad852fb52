package io.supercharger.upstream;

import java.util.Map;

/**
 * What an engine reports about one instance. Fields are null where the engine reports nothing.
 *
 * @param memoryKind what memoryBytes measures: "rss", or "last_request_peak" for FPM, whose status
 *     page reports each child's peak memory during its last request rather than its resident size
 */
public record InstanceStats(
    Long memoryBytes, String memoryKind, Double uptimeSeconds, Long pid, Map<String, Long> resets) {
  public static final InstanceStats NONE = new InstanceStats(null, null, null, null, null);
}
