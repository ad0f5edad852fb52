<?php
declare(strict_types=1);

namespace App\Http;

use App\User\CurrentUser;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpKernel\Event\ResponseEvent;
use Symfony\Component\HttpKernel\KernelEvents;

/**
 * ?leak=1 makes contamination visible: the answer tells which user the request ran as (header
 * X-Current-User and a "leak" object), and whether that user came from an earlier request.
 */
final class LeakReportListener implements EventSubscriberInterface
{
    public function __construct(private readonly CurrentUser $currentUser)
    {
    }

    public static function getSubscribedEvents(): array
    {
        // Before ServedByListener (8), which sets Content-Length from the final body.
        return [KernelEvents::RESPONSE => ['onResponse', 16]];
    }

    public function onResponse(ResponseEvent $event): void
    {
        $request = $event->getRequest();
        if (!$event->isMainRequest() || !$request->query->has('leak')) {
            return;
        }
        $response = $event->getResponse();
        $current = $this->currentUser->id();
        $requestUser = $request->headers->get('X-User-Id');
        if ($current !== null) {
            $response->headers->set('X-Current-User', $current);
        }
        $payload = json_decode((string) $response->getContent(), true);
        if ($response instanceof JsonResponse && is_array($payload)) {
            $payload['leak'] = [
                'current_user' => $current,
                'request_user' => $requestUser,
                'leaked' => ($requestUser === null || $requestUser === '') && $current !== null,
            ];
            $response->setData($payload);
        }
    }
}
