-- Hot-cache invalidation (api/lib/hot-cache.ts): after a statement changes what a cached session actor,
-- model grant or budget was built from, tell every listening process (NOTIFY is sent on commit).
CREATE OR REPLACE FUNCTION aistudio_notify_cache_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cache_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_cache_changed AFTER DELETE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER users_cache_changed AFTER UPDATE OF status, password_hash OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER user_roles_cache_changed AFTER INSERT OR UPDATE OR DELETE ON user_roles
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER roles_cache_changed AFTER UPDATE OR DELETE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER role_capabilities_cache_changed AFTER INSERT OR UPDATE OR DELETE ON role_capabilities
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER ai_models_cache_changed AFTER UPDATE OR DELETE ON ai_models
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER resource_grants_cache_changed AFTER INSERT OR UPDATE OR DELETE ON resource_grants
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
--> statement-breakpoint
CREATE TRIGGER budgets_cache_changed AFTER INSERT OR UPDATE OR DELETE ON budgets
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_notify_cache_changed();
