<?php
declare(strict_types=1);

namespace App\Runtime;

/** The fault switches in force for one request: an immutable snapshot, all off by default. */
final class Faults
{
    public function __construct(
        /** Injected latency per route, in milliseconds. */
        public readonly RouteValues $delayMs,
        /** Share of requests per route (0..1) answered 500 before the controller runs. */
        public readonly RouteValues $errorRate,
        /** A static "last user" cache serves the previous user's data when a request names none. */
        public readonly bool $leak,
        /** KiB retained (never freed) per request: memory growth. */
        public readonly int $growKb,
        /** After each request the DB link is dropped behind Doctrine's back ("already closed"). */
        public readonly bool $dbDrop,
    ) {
    }

    public static function none(): self
    {
        return new self(RouteValues::none(), RouteValues::none(), false, 0, false);
    }
}
