CREATE TABLE "graph_edges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_node_id" uuid NOT NULL,
	"to_node_id" uuid NOT NULL,
	"type" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "graph_edges_no_self_loop_ck" CHECK ("graph_edges"."from_node_id" <> "graph_edges"."to_node_id"),
	CONSTRAINT "graph_edges_type_ck" CHECK ("graph_edges"."type" in ('supersedes', 'relates_to', 'depends_on', 'supports', 'contradicts', 'considered', 'decided_by', 'consulted', 'notified'))
);
--> statement-breakpoint
CREATE TABLE "graph_nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"class" text,
	"status" text,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by_user_id" uuid,
	"created_by_api_key_id" uuid,
	"created_by_oauth_client_id" text,
	"created_by_agent_id" text,
	"created_by_label" text DEFAULT '' NOT NULL,
	"embedding" vector,
	"embedding_dims" integer,
	"embedding_model" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce("title", '')), 'A') || setweight(to_tsvector('simple', coalesce("body", '')), 'B')) STORED,
	CONSTRAINT "graph_nodes_type_ck" CHECK ("graph_nodes"."type" in ('decision', 'evidence', 'constraint', 'condition', 'alternative', 'person', 'topic', 'document', 'outcome')),
	CONSTRAINT "graph_nodes_status_ck" CHECK ("graph_nodes"."status" is null or "graph_nodes"."status" in ('proposed', 'accepted', 'superseded', 'rejected')),
	CONSTRAINT "graph_nodes_embedding_ck" CHECK (("graph_nodes"."embedding" is null) = ("graph_nodes"."embedding_dims" is null) and ("graph_nodes"."embedding" is null or vector_dims("graph_nodes"."embedding") = "graph_nodes"."embedding_dims"))
);
--> statement-breakpoint
ALTER TABLE "graph_edges" ADD CONSTRAINT "graph_edges_from_node_id_graph_nodes_id_fk" FOREIGN KEY ("from_node_id") REFERENCES "public"."graph_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_edges" ADD CONSTRAINT "graph_edges_to_node_id_graph_nodes_id_fk" FOREIGN KEY ("to_node_id") REFERENCES "public"."graph_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_edges" ADD CONSTRAINT "graph_edges_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_nodes" ADD CONSTRAINT "graph_nodes_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_nodes" ADD CONSTRAINT "graph_nodes_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "graph_edges_from_to_type_uq" ON "graph_edges" USING btree ("from_node_id","to_node_id","type");--> statement-breakpoint
CREATE INDEX "graph_edges_to_idx" ON "graph_edges" USING btree ("to_node_id","type");--> statement-breakpoint
CREATE INDEX "graph_edges_recent_idx" ON "graph_edges" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "graph_nodes_type_recent_idx" ON "graph_nodes" USING btree ("type","created_at");--> statement-breakpoint
CREATE INDEX "graph_nodes_recent_idx" ON "graph_nodes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "graph_nodes_search_idx" ON "graph_nodes" USING gin ("search");--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id","created_at");