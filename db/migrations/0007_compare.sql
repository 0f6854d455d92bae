CREATE TABLE "comparison_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"turn_id" uuid NOT NULL,
	"kind" text DEFAULT 'answer' NOT NULL,
	"column" integer NOT NULL,
	"model_id" uuid,
	"model_name" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"ttft_ms" integer,
	"duration_ms" integer,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"tokens_per_second" numeric(10, 2),
	"cost_usd" numeric(20, 12) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comparison_results_kind_ck" CHECK ("comparison_results"."kind" in ('answer', 'fusion')),
	CONSTRAINT "comparison_results_status_ck" CHECK ("comparison_results"."status" in ('complete', 'failed', 'stopped'))
);
--> statement-breakpoint
CREATE TABLE "comparison_turns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"comparison_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"prompt" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comparison_turns_position_uq" UNIQUE("comparison_id","position")
);
--> statement-breakpoint
CREATE TABLE "comparisons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"model_ids" uuid[] NOT NULL,
	"model_names" text[] NOT NULL,
	"system_prompt" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comparison_results" ADD CONSTRAINT "comparison_results_turn_id_comparison_turns_id_fk" FOREIGN KEY ("turn_id") REFERENCES "public"."comparison_turns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparison_results" ADD CONSTRAINT "comparison_results_model_id_ai_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."ai_models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparison_turns" ADD CONSTRAINT "comparison_turns_comparison_id_comparisons_id_fk" FOREIGN KEY ("comparison_id") REFERENCES "public"."comparisons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparisons" ADD CONSTRAINT "comparisons_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comparison_results_turn_idx" ON "comparison_results" USING btree ("turn_id");--> statement-breakpoint
CREATE INDEX "comparisons_user_updated_idx" ON "comparisons" USING btree ("user_id","updated_at");