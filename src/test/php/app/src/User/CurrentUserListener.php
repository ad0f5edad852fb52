<?php
declare(strict_types=1);

namespace App\User;

use App\Http\RequestFaultsListener;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\HttpKernel\Event\RequestEvent;
use Symfony\Component\HttpKernel\KernelEvents;

/**
 * Takes the user from X-User-Id. Like much real code it only ever sets the user, never clears it:
 * isolation between requests is the resetters' job. With the leak fault on (or ?leak=1), a request
 * without a user falls back to the static last-user cache.
 */
final class CurrentUserListener implements EventSubscriberInterface
{
    public function __construct(private readonly CurrentUser $currentUser)
    {
    }

    public static function getSubscribedEvents(): array
    {
        // After RequestFaultsListener, which puts the request's fault snapshot in an attribute.
        return [KernelEvents::REQUEST => ['onRequest', 8]];
    }

    public function onRequest(RequestEvent $event): void
    {
        if (!$event->isMainRequest()) {
            return;
        }
        $request = $event->getRequest();
        $id = $request->headers->get('X-User-Id');
        if ($id !== null && $id !== '') {
            $this->currentUser->set($id);
            LastUserCache::remember($id);
            return;
        }
        $leak = RequestFaultsListener::faultsOf($request)->leak || $request->query->has('leak');
        if ($leak && LastUserCache::last() !== null) {
            $this->currentUser->set(LastUserCache::last());
        }
    }
}
