<?php
declare(strict_types=1);

namespace App\Runtime;

/**
 * How many requests this OS process has served. In worker mode that is simply warm state; under
 * FPM statics die with each request, so the count is kept in a small file named after the pid and
 * the process start time (pids get reused).
 */
final class ProcessCounter
{
    private static int $count = 0;

    public static function next(): int
    {
        if (PHP_SAPI === 'cli') {
            return ++self::$count;
        }
        $dir = sys_get_temp_dir() . '/supercharger-php-counters';
        @mkdir($dir, 0700, true);
        $file = $dir . '/' . getmypid() . '-' . self::processStartTicks();
        // Only this process writes its file, and it serves one request at a time: no lock needed.
        $count = (int) @file_get_contents($file) + 1;
        @file_put_contents($file, (string) $count);
        return $count;
    }

    private static function processStartTicks(): string
    {
        $stat = @file_get_contents('/proc/self/stat');
        if ($stat === false) {
            return '0';
        }
        // Field 22 (starttime) counted after the ")" that closes the command name.
        $fields = explode(' ', substr($stat, strrpos($stat, ')') + 2));
        return $fields[19] ?? '0';
    }
}
