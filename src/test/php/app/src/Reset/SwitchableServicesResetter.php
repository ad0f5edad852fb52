<?php
declare(strict_types=1);

namespace App\Reset;

use Symfony\Contracts\Service\ResetInterface;

/**
 * Decorates services_resetter so that the KERNEL switch really turns the reset off. Symfony's
 * Kernel::boot() runs services_resetter by itself at the start of the next main request (5.4 and
 * later), so skipping only the runner's explicit call would not be enough to reproduce a worker
 * that never resets.
 */
final class SwitchableServicesResetter implements ResetInterface
{
    public function __construct(private readonly ResetInterface $inner, private readonly ResetSwitches $switches)
    {
    }

    public function reset(): void
    {
        if ($this->switches->kernel()) {
            $this->inner->reset();
        }
    }
}
