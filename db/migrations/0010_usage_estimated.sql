ALTER TABLE "messages" ADD COLUMN "usage_estimated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "token_usage" ADD COLUMN "estimated" boolean DEFAULT false NOT NULL;