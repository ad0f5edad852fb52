<?php
declare(strict_types=1);

/**
 * What the runner serves. The runner owns the protocol; the app owns everything between a parsed
 * request and the bytes of the answer.
 */
interface WorkerApp
{
    /**
     * @param array $request method, uri, path, query, headers (name => value), body, protocol
     * @return array{0:int,1:array<string,string|list<string>>,2:string} status, headers, body (the
     *         full body even for HEAD: the runner frames it)
     */
    public function handle(array $request): array;

    /** Runs after the response is written, so its cost is not on the client's clock: terminate, resets. */
    public function afterResponse(): void;

    /** @return array<string,mixed> merged into the runner's status JSON */
    public function status(): array;
}
