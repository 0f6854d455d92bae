ALTER TABLE "knowledge_repositories" ADD COLUMN "pending_embedding" jsonb;--> statement-breakpoint
ALTER TABLE "knowledge_repositories" ADD COLUMN "reembed_error" text;--> statement-breakpoint
ALTER TABLE "knowledge_repositories" ADD COLUMN "chat_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_repositories_chat_uq" ON "knowledge_repositories" USING btree ("owner_id","chat_id");