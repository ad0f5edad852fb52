<?php
declare(strict_types=1);

namespace App\User;

/**
 * The bug the runbook warns about, kept on purpose: a "last user" cache in a static. Statics are not
 * services, so services_resetter never clears it, and in worker mode it outlives the request.
 * Under FPM it dies with the request, which is why such a bug ships unnoticed.
 */
final class LastUserCache
{
    private static ?string $lastUser = null;

    public static function remember(string $id): void
    {
        self::$lastUser = $id;
    }

    public static function last(): ?string
    {
        return self::$lastUser;
    }
}
