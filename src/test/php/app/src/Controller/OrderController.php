<?php
declare(strict_types=1);

namespace App\Controller;

use App\User\CurrentUser;
use Doctrine\DBAL\Connection;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;

/**
 * Orders: a read path and the main write path. A created order echoes the length and SHA-256 of the
 * request body it was created from, so body-forwarding tests can check every byte arrived.
 */
final class OrderController
{
    public function __construct(private readonly Connection $db, private readonly CurrentUser $currentUser)
    {
    }

    public function show(int $id): JsonResponse
    {
        $row = $this->db->fetchAssociative('SELECT * FROM orders WHERE id = ?', [$id]);
        return $row === false
            ? new JsonResponse(['error' => 'no such order', 'id' => $id], 404)
            : new JsonResponse(['order' => self::order($row)]);
    }

    public function create(Request $request): JsonResponse
    {
        $body = $request->getContent();
        $data = json_decode($body, true);
        $totalCents = is_array($data) && is_int($data['total_cents'] ?? null) ? $data['total_cents'] : 0;
        $digest = ['body_length' => strlen($body), 'body_sha256' => hash('sha256', $body)];
        $this->db->insert('orders', ['user_id' => $this->currentUser->id(), 'status' => 'created',
            'total_cents' => $totalCents] + $digest);
        $id = (int) $this->db->lastInsertId();
        $row = $this->db->fetchAssociative('SELECT * FROM orders WHERE id = ?', [$id]);
        return new JsonResponse(['order' => self::order((array) $row)] + $digest, 201);
    }

    /** @return array<string,mixed> */
    private static function order(array $row): array
    {
        return [
            'id' => (int) $row['id'],
            'user_id' => $row['user_id'] === null ? null : (string) $row['user_id'],
            'status' => (string) $row['status'],
            'total_cents' => (int) $row['total_cents'],
        ];
    }
}
