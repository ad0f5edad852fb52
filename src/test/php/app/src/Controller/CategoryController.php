<?php
declare(strict_types=1);

namespace App\Controller;

use Doctrine\DBAL\Connection;
use Symfony\Component\HttpFoundation\JsonResponse;

/** The read path the runbook names first: categories, the same for every user. */
final class CategoryController
{
    public function __construct(private readonly Connection $db)
    {
    }

    public function list(): JsonResponse
    {
        $rows = $this->db->fetchAllAssociative('SELECT id, name, slug FROM categories ORDER BY id');
        return new JsonResponse(['categories' => array_map(self::category(...), $rows)]);
    }

    public function show(int $id): JsonResponse
    {
        $row = $this->db->fetchAssociative('SELECT id, name, slug FROM categories WHERE id = ?', [$id]);
        return $row === false
            ? new JsonResponse(['error' => 'no such category', 'id' => $id], 404)
            : new JsonResponse(['category' => self::category($row)]);
    }

    /** @return array{id:int,name:string,slug:string} */
    private static function category(array $row): array
    {
        return ['id' => (int) $row['id'], 'name' => (string) $row['name'], 'slug' => (string) $row['slug']];
    }
}
