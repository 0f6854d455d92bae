-- Custom migration (drizzle cannot express these). Semantic search over graph_nodes: the embedding column has
-- no fixed dimension, so each supported dimension gets its own HNSW (cosine) expression index, partial on
-- embedding_dims; a query casts to vector(N) with `embedding_dims = N` to use it. 384 is the built-in lexical
-- embedder; the others cover common provider embedding models (pgvector's HNSW takes at most 2000 dimensions).
CREATE INDEX IF NOT EXISTS graph_nodes_embedding_384_idx ON graph_nodes
  USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE embedding_dims = 384;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS graph_nodes_embedding_768_idx ON graph_nodes
  USING hnsw ((embedding::vector(768)) vector_cosine_ops) WHERE embedding_dims = 768;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS graph_nodes_embedding_1024_idx ON graph_nodes
  USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE embedding_dims = 1024;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS graph_nodes_embedding_1536_idx ON graph_nodes
  USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE embedding_dims = 1536;
--> statement-breakpoint
-- Capture matches people by name or e-mail, case-insensitively, instead of adding a duplicate person.
CREATE INDEX IF NOT EXISTS graph_nodes_person_name_idx ON graph_nodes (lower(title)) WHERE type = 'person';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS graph_nodes_person_email_idx ON graph_nodes (lower(metadata->>'email')) WHERE type = 'person';
