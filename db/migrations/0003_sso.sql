CREATE TABLE "sso_providers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"type" text NOT NULL,
	"display_name" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret" text,
	"issuer" text,
	"domain" text,
	"tenant" text,
	"allowed_domains" text[] DEFAULT '{}' NOT NULL,
	"group_claim" text,
	"group_roles" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_providers_slug_unique" UNIQUE("slug")
);
