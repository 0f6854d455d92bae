-- custom migration: hot-cache NOTIFY only when rows really changed (api/lib/hot-cache.ts).
-- The statement triggers of 0009/0011/0016 fired for statements that touched no row (a sweep deleting
-- nothing, an ON CONFLICT DO NOTHING, an UPDATE writing the same values) and cleared every instance's caches.
-- Row triggers fire per changed row; pg_notify folds identical notifications of one transaction into one.
DROP TRIGGER IF EXISTS sessions_cache_changed ON sessions;
--> statement-breakpoint
CREATE TRIGGER sessions_cache_changed AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS users_cache_changed ON users;
--> statement-breakpoint
CREATE TRIGGER users_cache_changed AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER users_cache_updated AFTER UPDATE OF status, password_hash ON users
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS user_roles_cache_changed ON user_roles;
--> statement-breakpoint
CREATE TRIGGER user_roles_cache_changed AFTER INSERT OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER user_roles_cache_updated AFTER UPDATE ON user_roles
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS roles_cache_changed ON roles;
--> statement-breakpoint
CREATE TRIGGER roles_cache_changed AFTER DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER roles_cache_updated AFTER UPDATE ON roles
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS role_capabilities_cache_changed ON role_capabilities;
--> statement-breakpoint
CREATE TRIGGER role_capabilities_cache_changed AFTER INSERT OR DELETE ON role_capabilities
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER role_capabilities_cache_updated AFTER UPDATE ON role_capabilities
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS ai_models_cache_changed ON ai_models;
--> statement-breakpoint
CREATE TRIGGER ai_models_cache_changed AFTER DELETE ON ai_models
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER ai_models_cache_updated AFTER UPDATE ON ai_models
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS resource_grants_cache_changed ON resource_grants;
--> statement-breakpoint
CREATE TRIGGER resource_grants_cache_changed AFTER INSERT OR DELETE ON resource_grants
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER resource_grants_cache_updated AFTER UPDATE ON resource_grants
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS budgets_cache_changed ON budgets;
--> statement-breakpoint
CREATE TRIGGER budgets_cache_changed AFTER INSERT OR DELETE ON budgets
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER budgets_cache_updated AFTER UPDATE ON budgets
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS api_keys_cache_changed ON api_keys;
--> statement-breakpoint
CREATE TRIGGER api_keys_cache_changed AFTER DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER api_keys_cache_updated AFTER UPDATE OF revoked_at, scopes, rate_limit_rpm, expires_at, user_id, hash, prefix ON api_keys
  FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.scopes IS DISTINCT FROM NEW.scopes OR OLD.rate_limit_rpm IS DISTINCT FROM NEW.rate_limit_rpm OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.hash IS DISTINCT FROM NEW.hash OR OLD.prefix IS DISTINCT FROM NEW.prefix)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS oauth_grants_cache_changed ON oauth_grants;
--> statement-breakpoint
CREATE TRIGGER oauth_grants_cache_changed AFTER DELETE ON oauth_grants
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER oauth_grants_cache_updated AFTER UPDATE OF revoked_at ON oauth_grants
  FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
DROP TRIGGER IF EXISTS oauth_clients_cache_changed ON oauth_clients;
--> statement-breakpoint
CREATE TRIGGER oauth_clients_cache_changed AFTER DELETE ON oauth_clients
  FOR EACH ROW EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER oauth_clients_cache_updated AFTER UPDATE OF status ON oauth_clients
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION aistudio_notify_cache_changed();
