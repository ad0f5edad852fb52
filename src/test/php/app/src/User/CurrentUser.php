<?php
declare(strict_types=1);

namespace App\User;

use Symfony\Contracts\Service\ResetInterface;

/**
 * Who the request is for. A ResetInterface service, so the KERNEL reset (services_resetter) clears
 * it between requests; in worker mode, without that reset, the previous request's user would stay.
 */
final class CurrentUser implements ResetInterface
{
    private ?string $id = null;

    public function set(string $id): void
    {
        $this->id = $id;
    }

    public function id(): ?string
    {
        return $this->id;
    }

    public function reset(): void
    {
        $this->id = null;
    }
}
