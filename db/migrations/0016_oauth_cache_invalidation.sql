-- Hot-cache invalidation for OAuth access tokens (api/oauth/access-tokens.ts caches a grant with its user's
-- actor): a revoked grant or a disabled client must stop its access tokens on every instance.
CREATE TRIGGER oauth_grants_cache_changed AFTER UPDATE OF revoked_at OR DELETE ON oauth_grants
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER oauth_clients_cache_changed AFTER UPDATE OF status OR DELETE ON oauth_clients
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
