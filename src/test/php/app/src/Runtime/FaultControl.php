<?php
declare(strict_types=1);

namespace App\Runtime;

/**
 * Reads the fault switches: the environment the process started with (APP_DELAY_MS,
 * APP_ERROR_RATE, APP_LEAK, APP_GROW_KB, APP_DB_DROP), overridden key by key by the JSON control
 * file named in APP_CONTROL_FILE (keys delay_ms, error_rate, leak, grow_kb, db_drop).
 *
 * The file is re-read on every request, so a test can flip a switch in a running worker. Writers
 * should replace it atomically (write a temp file, rename); a file that does not parse is logged
 * and ignored rather than half-applied.
 */
final class FaultControl
{
    private const KEYS = [
        'delay_ms' => 'APP_DELAY_MS',
        'error_rate' => 'APP_ERROR_RATE',
        'leak' => 'APP_LEAK',
        'grow_kb' => 'APP_GROW_KB',
        'db_drop' => 'APP_DB_DROP',
    ];

    public static function current(): Faults
    {
        $values = [];
        foreach (self::KEYS as $key => $env) {
            $value = getenv($env);
            $values[$key] = $value === false ? null : $value;
        }
        foreach (self::controlFile() as $key => $value) {
            if (array_key_exists($key, self::KEYS)) {
                $values[$key] = $value;
            }
        }
        return new Faults(
            RouteValues::parse($values['delay_ms']),
            RouteValues::parse($values['error_rate']),
            self::flag($values['leak']),
            max(0, (int) ($values['grow_kb'] ?? 0)),
            self::flag($values['db_drop']),
        );
    }

    /** @return array<string,mixed> */
    private static function controlFile(): array
    {
        $path = getenv('APP_CONTROL_FILE');
        if ($path === false || $path === '' || !is_file($path)) {
            return [];
        }
        $text = @file_get_contents($path);
        $data = $text === false || trim($text) === '' ? [] : json_decode($text, true);
        if (!is_array($data)) {
            error_log("app: control file $path is not a JSON object: ignored");
            return [];
        }
        return $data;
    }

    private static function flag(mixed $value): bool
    {
        return $value === true || $value === 1 || in_array($value, ['1', 'true', 'on', 'yes'], true);
    }
}
