-- Resolved API keys live in the hot caches too (api/lib/credential-cache.ts): a revoked key, or a change
-- to its scopes, limit, expiry or owner, tells every listening process (NOTIFY is sent on commit).
-- Not on last_used_at: the batched last-used writes must not clear the caches.
CREATE TRIGGER api_keys_cache_changed
  AFTER UPDATE OF revoked_at, scopes, rate_limit_rpm, expires_at, user_id, hash, prefix OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
