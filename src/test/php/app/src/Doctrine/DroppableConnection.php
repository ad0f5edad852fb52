<?php
declare(strict_types=1);

namespace App\Doctrine;

use Doctrine\DBAL\Driver\Connection as DriverConnection;
use Doctrine\DBAL\Driver\Middleware\AbstractConnectionMiddleware;
use Doctrine\DBAL\Driver\Result;
use Doctrine\DBAL\Driver\Statement;

/**
 * A driver link that the "server" may drop. Every statement goes through prepare, query or exec,
 * so guarding those three is enough to make a dropped link unusable.
 */
final class DroppableConnection extends AbstractConnectionMiddleware
{
    private bool $dropped = false;

    public function __construct(DriverConnection $connection)
    {
        parent::__construct($connection);
    }

    public function drop(): void
    {
        $this->dropped = true;
    }

    public function prepare(string $sql): Statement
    {
        $this->assertOpen();
        return parent::prepare($sql);
    }

    public function query(string $sql): Result
    {
        $this->assertOpen();
        return parent::query($sql);
    }

    public function exec(string $sql): int
    {
        $this->assertOpen();
        return (int) parent::exec($sql);
    }

    private function assertOpen(): void
    {
        if ($this->dropped) {
            throw LinkDropped::create();
        }
    }
}
