<?php
declare(strict_types=1);

namespace App\Doctrine;

use App\Data\Schema;
use Doctrine\DBAL\Configuration;
use Doctrine\DBAL\Connection;
use Doctrine\DBAL\DriverManager;

/**
 * The DBAL connection, wired by hand: DoctrineBundle is not packaged in Debian. One SQLite file is
 * shared by every process of both pools (APP_DATABASE), so a write through one pool is read back
 * through the other, as with a real database server.
 */
final class ConnectionFactory
{
    /** Waits this long for another process's write lock instead of failing with "database is locked". */
    private const BUSY_TIMEOUT_SECONDS = 10;

    public static function create(LinkDropper $dropper): Connection
    {
        $path = self::databasePath();
        if (!is_dir(dirname($path))) {
            @mkdir(dirname($path), 0777, true);
        }
        $config = new Configuration();
        $config->setMiddlewares([$dropper]);
        $connection = DriverManager::getConnection([
            'driver' => 'pdo_sqlite',
            'path' => $path,
            'driverOptions' => [\PDO::ATTR_TIMEOUT => self::BUSY_TIMEOUT_SECONDS],
        ], $config);
        // Once per container: at boot in the worker, on the first query of a request under FPM.
        Schema::ensure($connection);
        return $connection;
    }

    public static function databasePath(): string
    {
        $path = getenv('APP_DATABASE');
        return $path === false || $path === '' ? dirname(__DIR__, 2) . '/var/data/app.sqlite' : $path;
    }
}
