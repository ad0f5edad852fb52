<?php
declare(strict_types=1);

namespace App\Runtime;

/**
 * A number per route, with "*" for every other route: how latency and error injection are aimed.
 * Written as a plain number (every route), as "orders_show=200,*=5" in env, or as a JSON object
 * {"orders_show": 200, "*": 5} in the control file.
 */
final class RouteValues
{
    /** @param array<string,float> $byRoute */
    private function __construct(private readonly array $byRoute)
    {
    }

    public static function none(): self
    {
        return new self([]);
    }

    public static function parse(mixed $value): self
    {
        if ($value === null || $value === '' || $value === false) {
            return self::none();
        }
        if (is_int($value) || is_float($value) || (is_string($value) && is_numeric($value))) {
            return new self(['*' => (float) $value]);
        }
        $pairs = [];
        if (is_array($value)) {
            $pairs = $value;
        } elseif (is_string($value)) {
            foreach (explode(',', $value) as $item) {
                [$route, $number] = array_pad(explode('=', $item, 2), 2, '');
                $pairs[trim($route)] = trim($number);
            }
        }
        $byRoute = [];
        foreach ($pairs as $route => $number) {
            if (is_numeric($number)) {
                $byRoute[(string) $route] = (float) $number;
            }
        }
        return new self($byRoute);
    }

    public function for(string $route): float
    {
        return $this->byRoute[$route] ?? $this->byRoute['*'] ?? 0.0;
    }
}
