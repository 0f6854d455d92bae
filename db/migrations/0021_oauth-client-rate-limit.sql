ALTER TABLE "oauth_clients" ADD COLUMN "rate_limit_rpm" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_rate_limit_ck" CHECK ("oauth_clients"."rate_limit_rpm" > 0);--> statement-breakpoint
-- Hot-cache NOTIFY (api/lib/hot-cache.ts) also when a client's rate limit changes (cached with its grants)
-- and when a person's name, e-mail or avatar changes (cached views for /api/auth/session and /api/v1/me).
DROP TRIGGER IF EXISTS oauth_clients_cache_updated ON oauth_clients;--> statement-breakpoint
CREATE TRIGGER oauth_clients_cache_updated AFTER UPDATE OF status, rate_limit_rpm ON oauth_clients
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.rate_limit_rpm IS DISTINCT FROM NEW.rate_limit_rpm)
  EXECUTE FUNCTION aistudio_notify_cache_changed();--> statement-breakpoint
DROP TRIGGER IF EXISTS users_cache_updated ON users;--> statement-breakpoint
CREATE TRIGGER users_cache_updated AFTER UPDATE OF status, password_hash, name, email, avatar_url ON users
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
    OR OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.avatar_url IS DISTINCT FROM NEW.avatar_url)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
