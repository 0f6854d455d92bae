CREATE TABLE "knowledge_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"repository_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"location" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"token_count" integer NOT NULL,
	"text_search_config" "regconfig" NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector("text_search_config", "text")) STORED,
	"embedding" vector,
	"dims" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_chunks_item_gen_ordinal_uq" UNIQUE("item_id","generation","ordinal")
);
--> statement-breakpoint
CREATE TABLE "knowledge_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"repository_id" uuid NOT NULL,
	"source_kind" text NOT NULL,
	"title" text NOT NULL,
	"source_url" text,
	"filename" text,
	"media_type" text,
	"storage" text,
	"storage_key" text,
	"sha256" text NOT NULL,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"stage" text DEFAULT 'queued' NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"error" text,
	"generation" integer DEFAULT 1 NOT NULL,
	"published_generation" integer,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_items_repository_sha_uq" UNIQUE("repository_id","sha256"),
	CONSTRAINT "knowledge_items_source_ck" CHECK ("knowledge_items"."source_kind" in ('upload', 'url', 'text')),
	CONSTRAINT "knowledge_items_status_ck" CHECK ("knowledge_items"."status" in ('queued', 'processing', 'ready', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "knowledge_repositories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_id" uuid NOT NULL,
	"visibility" text DEFAULT 'private' NOT NULL,
	"embedding_model_id" uuid,
	"embedding_dimensions" integer DEFAULT 384 NOT NULL,
	"text_search_config" "regconfig" DEFAULT 'english'::regconfig NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_repositories_visibility_ck" CHECK ("knowledge_repositories"."visibility" in ('private', 'roles', 'users', 'everyone')),
	CONSTRAINT "knowledge_repositories_dims_ck" CHECK ("knowledge_repositories"."embedding_dimensions" between 1 and 16000)
);
--> statement-breakpoint
ALTER TABLE "token_usage" DROP CONSTRAINT "token_usage_surface_ck";--> statement-breakpoint
ALTER TABLE "ai_models" ADD COLUMN "kind" text DEFAULT 'chat' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_models" ADD COLUMN "dimensions" integer;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_item_id_knowledge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."knowledge_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_items" ADD CONSTRAINT "knowledge_items_repository_id_knowledge_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."knowledge_repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_items" ADD CONSTRAINT "knowledge_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_repositories" ADD CONSTRAINT "knowledge_repositories_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_repositories" ADD CONSTRAINT "knowledge_repositories_embedding_model_id_ai_models_id_fk" FOREIGN KEY ("embedding_model_id") REFERENCES "public"."ai_models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_chunks_repository_idx" ON "knowledge_chunks" USING btree ("repository_id");--> statement-breakpoint
CREATE INDEX "knowledge_chunks_search_idx" ON "knowledge_chunks" USING gin ("search");--> statement-breakpoint
CREATE INDEX "knowledge_items_repository_idx" ON "knowledge_items" USING btree ("repository_id","created_at");--> statement-breakpoint
CREATE INDEX "knowledge_items_status_idx" ON "knowledge_items" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "knowledge_repositories_owner_idx" ON "knowledge_repositories" USING btree ("owner_id");--> statement-breakpoint
ALTER TABLE "token_usage" ADD CONSTRAINT "token_usage_surface_ck" CHECK ("token_usage"."surface" in ('chat', 'compare', 'api', 'assistants', 'knowledge'));--> statement-breakpoint
ALTER TABLE "ai_models" ADD CONSTRAINT "ai_models_kind_ck" CHECK ("ai_models"."kind" in ('chat', 'embedding'));--> statement-breakpoint
ALTER TABLE "ai_models" ADD CONSTRAINT "ai_models_embedding_dims_ck" CHECK ("ai_models"."kind" <> 'embedding' or "ai_models"."dimensions" between 1 and 16000);