<?php
declare(strict_types=1);

namespace App\Data;

use Doctrine\DBAL\Connection;
use Doctrine\DBAL\Exception\LockWaitTimeoutException;

/**
 * Creates and seeds the database once, whichever process gets there first. The version lives in
 * SQLite's user_version, so the common case (already seeded) costs one PRAGMA. Many processes may
 * start together (FPM children, workers): BEGIN IMMEDIATE takes the write lock before the second
 * check, so exactly one of them seeds.
 */
final class Schema
{
    private const VERSION = 1;
    private const WAL_ATTEMPTS = 200;
    public const SEEDED_ORDERS = 1000;
    public const CATEGORIES = [
        'Books', 'Music', 'Games', 'Tools', 'Garden', 'Kitchen', 'Sports', 'Toys', 'Office', 'Pets',
        'Health', 'Beauty', 'Auto', 'Baby', 'Outdoor', 'Electronics', 'Film', 'Art', 'Travel', 'Food',
    ];

    public static function ensure(Connection $db): void
    {
        if (self::version($db) === self::VERSION) {
            return;
        }
        self::useWal($db);
        $db->executeStatement('BEGIN IMMEDIATE');
        try {
            if (self::version($db) !== self::VERSION) {
                self::create($db);
                self::seed($db);
                $db->executeStatement('PRAGMA user_version = ' . self::VERSION);
            }
            $db->executeStatement('COMMIT');
        } catch (\Throwable $e) {
            $db->executeStatement('ROLLBACK');
            throw $e;
        }
    }

    /**
     * WAL: readers never wait for the writer, and the mode sticks to the file. It cannot change
     * inside a transaction, so it comes first. Switching a new file takes a lock for which SQLite
     * does not consult its busy timeout: two processes starting together (FPM children that get
     * their first requests at once) see "database is locked" at once, so the switch is retried.
     */
    private static function useWal(Connection $db): void
    {
        for ($attempt = 1; ; $attempt++) {
            try {
                $db->executeStatement('PRAGMA journal_mode = WAL');
                return;
            } catch (LockWaitTimeoutException $e) {
                if ($attempt === self::WAL_ATTEMPTS) {
                    throw $e;
                }
                usleep(10_000);
            }
        }
    }

    private static function version(Connection $db): int
    {
        return (int) $db->fetchOne('PRAGMA user_version');
    }

    private static function create(Connection $db): void
    {
        $db->executeStatement('CREATE TABLE IF NOT EXISTS categories (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE)');
        $db->executeStatement('CREATE TABLE IF NOT EXISTS orders (
            id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT, status TEXT NOT NULL,
            total_cents INTEGER NOT NULL, body_length INTEGER NOT NULL, body_sha256 TEXT)');
        $db->executeStatement('CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, text TEXT NOT NULL)');
        $db->executeStatement('CREATE INDEX IF NOT EXISTS messages_by_user ON messages (user_id, id)');
    }

    private static function seed(Connection $db): void
    {
        foreach (self::CATEGORIES as $i => $name) {
            $db->insert('categories', ['id' => $i + 1, 'name' => $name, 'slug' => strtolower($name)]);
        }
        // Orders 1..1000 exist from the start, so order reads look the same in every process.
        for ($id = 1; $id <= self::SEEDED_ORDERS; $id++) {
            $db->insert('orders', ['id' => $id, 'user_id' => null, 'status' => 'shipped',
                'total_cents' => $id * 137 % 10000, 'body_length' => 0, 'body_sha256' => null]);
        }
    }
}
