/**
 * How long the HTTP server keeps an idle keep-alive connection. Behind a load balancer the server must
 * outlast the balancer's own idle timeout (the ALB in pulumi/components/service.ts keeps 300 s for streamed
 * answers): otherwise the balancer reuses a connection the server has just closed and the request fails
 * with a 502. Node's default (5 s) is far below that.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 310_000;

/** Applies it to a node:http server (headers of each request still have Node's 60 s to arrive). */
export function keepConnectionsAlive(server: { keepAliveTimeout: number }): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
}
