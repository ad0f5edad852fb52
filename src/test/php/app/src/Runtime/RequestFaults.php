<?php
declare(strict_types=1);

namespace App\Runtime;

/**
 * Applies the fault switches and the per-request query switches (delay_ms, leak_kb, status) the
 * same way for the plain echo and for the Symfony kernel, so a protocol test and an app test see
 * one behaviour.
 */
final class RequestFaults
{
    /** Memory growth: everything appended here lives as long as the process (warm state). */
    private static array $retained = [];

    /** Before the handler: memory growth, latency. Returns whether an error should be injected. */
    public static function before(Faults $faults, string $route, array $query, string $method, string $path): bool
    {
        $growKb = $faults->growKb + max(0, (int) ($query['leak_kb'] ?? 0));
        if ($growKb > 0) {
            self::$retained[] = str_repeat('x', $growKb * 1024);
        }
        $delayMs = (int) $faults->delayMs->for($route) + max(0, (int) ($query['delay_ms'] ?? 0));
        if ($delayMs > 0) {
            self::log("delay {$delayMs}ms on $method $path");
            self::sleepMs($delayMs);
        }
        $rate = $faults->errorRate->for($route);
        return $rate > 0 && mt_rand() / mt_getrandmax() < $rate;
    }

    /** The status the response goes out with: the query may force one (status=N). */
    public static function status(int $status, array $query): int
    {
        $forced = (int) ($query['status'] ?? 0);
        return $forced >= 100 && $forced <= 599 ? $forced : $status;
    }

    /** @return array<string,string> headers every response carries: which process served it */
    public static function servedBy(int $processRequests): array
    {
        return [
            'X-Served-By-Sapi' => PHP_SAPI,
            'X-Served-By-Pid' => (string) getmypid(),
            'X-Process-Requests' => (string) $processRequests,
        ];
    }

    /**
     * Sleeps the full time even when a signal arrives: the worker runner handles SIGTERM
     * asynchronously, and a plain usleep() would return early, cutting the injected latency short.
     */
    private static function sleepMs(int $ms): void
    {
        $deadline = hrtime(true) + $ms * 1_000_000;
        while (($left = $deadline - hrtime(true)) > 0) {
            usleep((int) max(1, intdiv($left, 1000)));
        }
    }

    /** Off by default (one log line per request is noise); tests turn it on to see a fault start. */
    private static function log(string $what): void
    {
        if (getenv('APP_LOG_FAULTS') === '1') {
            error_log('app: fault injected: ' . $what);
        }
    }
}
