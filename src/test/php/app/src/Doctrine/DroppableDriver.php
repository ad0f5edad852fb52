<?php
declare(strict_types=1);

namespace App\Doctrine;

use Doctrine\DBAL\Driver;
use Doctrine\DBAL\Driver\Connection as DriverConnection;
use Doctrine\DBAL\Driver\Middleware\AbstractDriverMiddleware;

/** Hands every link it opens to the LinkDropper, so the fault can reach it later. */
final class DroppableDriver extends AbstractDriverMiddleware
{
    public function __construct(Driver $driver, private readonly LinkDropper $dropper)
    {
        parent::__construct($driver);
    }

    public function connect(#[\SensitiveParameter] array $params): DriverConnection
    {
        $connection = new DroppableConnection(parent::connect($params));
        $this->dropper->track($connection);
        return $connection;
    }
}
