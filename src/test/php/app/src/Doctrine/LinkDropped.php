<?php
declare(strict_types=1);

namespace App\Doctrine;

use Doctrine\DBAL\Driver\AbstractException;

/** What a driver reports when the server has closed the link; HY000 like MySQL's "gone away". */
final class LinkDropped extends AbstractException
{
    public static function create(): self
    {
        return new self('connection already closed (the link was dropped by the server; fault db_drop)', 'HY000');
    }
}
