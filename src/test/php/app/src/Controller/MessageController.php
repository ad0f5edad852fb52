<?php
declare(strict_types=1);

namespace App\Controller;

use App\User\CurrentUser;
use Doctrine\DBAL\Connection;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;

/**
 * The current user's messages: the per-user data that must never reach another user. Without a
 * current user there is nothing to show; a leak shows up as someone else's messages here.
 */
final class MessageController
{
    private const PAGE = 20;
    private const MAX_TEXT = 1000;

    public function __construct(private readonly Connection $db, private readonly CurrentUser $currentUser)
    {
    }

    public function list(): JsonResponse
    {
        $user = $this->currentUser->id();
        if ($user === null) {
            return new JsonResponse(['user' => null, 'messages' => [], 'count' => 0]);
        }
        $rows = $this->db->fetchAllAssociative(
            'SELECT id, user_id, text FROM messages WHERE user_id = ? ORDER BY id DESC LIMIT ' . self::PAGE, [$user]);
        $count = (int) $this->db->fetchOne('SELECT COUNT(*) FROM messages WHERE user_id = ?', [$user]);
        return new JsonResponse(['user' => $user, 'messages' => array_map(self::message(...), $rows), 'count' => $count]);
    }

    public function create(Request $request): JsonResponse
    {
        $user = $this->currentUser->id();
        if ($user === null) {
            return new JsonResponse(['error' => 'X-User-Id required'], 401);
        }
        $data = json_decode($request->getContent(), true);
        if (!is_array($data) || !is_string($data['text'] ?? null)) {
            return new JsonResponse(['error' => 'expected a JSON object with a "text" string'], 422);
        }
        $text = mb_substr($data['text'], 0, self::MAX_TEXT);
        $this->db->insert('messages', ['user_id' => $user, 'text' => $text]);
        $id = (int) $this->db->lastInsertId();
        return new JsonResponse(['message' => ['id' => $id, 'user_id' => $user, 'text' => $text]], 201);
    }

    /** @return array{id:int,user_id:string,text:string} */
    private static function message(array $row): array
    {
        return ['id' => (int) $row['id'], 'user_id' => (string) $row['user_id'], 'text' => (string) $row['text']];
    }
}
