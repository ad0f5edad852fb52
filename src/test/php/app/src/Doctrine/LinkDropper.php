<?php
declare(strict_types=1);

namespace App\Doctrine;

use Doctrine\DBAL\Driver;
use Doctrine\DBAL\Driver\Middleware;

/**
 * A DBAL middleware for the "closed connection" fault. SQLite has no server that could drop an idle
 * link (MySQL's wait_timeout, a PgBouncer restart), so this plays the server: dropAll() marks every
 * open driver connection dead behind Doctrine's back. Doctrine still believes it is connected, and
 * every later statement on that link fails with "already closed" until the connection is closed
 * and reopened, which is exactly what the DOCTRINE reset does after each request.
 */
final class LinkDropper implements Middleware
{
    /** @var \WeakMap<DroppableConnection,true> open links; closed ones vanish with their object */
    private \WeakMap $links;

    public function __construct()
    {
        $this->links = new \WeakMap();
    }

    public function wrap(Driver $driver): Driver
    {
        return new DroppableDriver($driver, $this);
    }

    /** @internal called by DroppableDriver for every link it opens */
    public function track(DroppableConnection $connection): void
    {
        $this->links[$connection] = true;
    }

    /** Returns how many open links were dropped. */
    public function dropAll(): int
    {
        $dropped = 0;
        foreach ($this->links as $connection => $_) {
            $connection->drop();
            $dropped++;
        }
        return $dropped;
    }
}
