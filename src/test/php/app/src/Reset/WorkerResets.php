<?php
declare(strict_types=1);

namespace App\Reset;

use Doctrine\DBAL\Connection;
use Symfony\Contracts\Service\ResetInterface;

/**
 * What the worker runner does after each request's terminate: the KERNEL reset (every
 * ResetInterface service back to its initial state) and the DOCTRINE reset (close the connection;
 * DBAL reopens it lazily on the next query, so a link that died in between is never reused).
 * Both are idempotent, since Symfony runs services_resetter again when the next request boots.
 */
final class WorkerResets
{
    private int $kernelResets = 0;
    private int $doctrineResets = 0;

    public function __construct(
        private readonly ResetInterface $servicesResetter,
        private readonly Connection $connection,
        private readonly ResetSwitches $switches,
    ) {
    }

    public function afterRequest(): void
    {
        if ($this->switches->kernel()) {
            $this->servicesResetter->reset();
            $this->kernelResets++;
        }
        if ($this->switches->doctrine()) {
            $this->connection->close();
            $this->doctrineResets++;
        }
    }

    /** @return array<string,mixed> for the runner's status */
    public function counters(): array
    {
        return [
            'enabled' => $this->switches->enabled,
            'kernel' => ['enabled' => $this->switches->kernel(), 'count' => $this->kernelResets],
            'doctrine' => ['enabled' => $this->switches->doctrine(), 'count' => $this->doctrineResets],
        ];
    }
}
