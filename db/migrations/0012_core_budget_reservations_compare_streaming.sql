CREATE TABLE "budget_reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tokens" bigint NOT NULL,
	"cost_usd" numeric(20, 12) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comparison_results" DROP CONSTRAINT "comparison_results_status_ck";--> statement-breakpoint
ALTER TABLE "comparison_results" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "budget_reservations" ADD CONSTRAINT "budget_reservations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budget_reservations_user_idx" ON "budget_reservations" USING btree ("user_id","expires_at");--> statement-breakpoint
ALTER TABLE "comparison_results" ADD CONSTRAINT "comparison_results_status_ck" CHECK ("comparison_results"."status" in ('streaming', 'complete', 'failed', 'stopped'));