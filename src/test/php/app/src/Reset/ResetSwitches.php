<?php
declare(strict_types=1);

namespace App\Reset;

/**
 * The runbook's worker reset switches, read once per process from the environment:
 * RUNTIME_WORKER_RESET_ENABLED (master), RUNTIME_WORKER_RESET_KERNEL, RUNTIME_WORKER_RESET_DOCTRINE.
 * Each defaults to on; "0", "false", "off" or "no" turns it off.
 */
final class ResetSwitches
{
    public function __construct(
        public readonly bool $enabled,
        private readonly bool $kernel,
        private readonly bool $doctrine,
    ) {
    }

    public static function fromEnvironment(): self
    {
        return new self(self::on('RUNTIME_WORKER_RESET_ENABLED'), self::on('RUNTIME_WORKER_RESET_KERNEL'),
            self::on('RUNTIME_WORKER_RESET_DOCTRINE'));
    }

    public function kernel(): bool
    {
        return $this->enabled && $this->kernel;
    }

    public function doctrine(): bool
    {
        return $this->enabled && $this->doctrine;
    }

    private static function on(string $name): bool
    {
        $value = getenv($name);
        return $value === false || !in_array(strtolower(trim($value)), ['0', 'false', 'off', 'no'], true);
    }
}
