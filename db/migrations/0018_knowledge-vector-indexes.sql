-- Custom migration: one HNSW index per supported embedding dimension over the shared untyped `vector` column,
-- each an expression index (the cast gives the index a fixed dimension) restricted to rows of that dimension.
-- Queries must repeat the expression and the predicate (`embedding::vector(N) <=> $q ... where dims = N`).
-- Other dimensions still work, by exact scan. Design: docs/decisions/014-knowledge-vector-index.md.
CREATE INDEX IF NOT EXISTS "knowledge_chunks_hnsw_384" ON "knowledge_chunks"
  USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE dims = 384;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "knowledge_chunks_hnsw_768" ON "knowledge_chunks"
  USING hnsw ((embedding::vector(768)) vector_cosine_ops) WHERE dims = 768;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "knowledge_chunks_hnsw_1024" ON "knowledge_chunks"
  USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE dims = 1024;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "knowledge_chunks_hnsw_1536" ON "knowledge_chunks"
  USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE dims = 1536;
--> statement-breakpoint
-- The embed step finds the chunks it has not embedded yet of one item and generation.
CREATE INDEX IF NOT EXISTS "knowledge_chunks_pending_idx" ON "knowledge_chunks" ("item_id", "generation", "ordinal")
  WHERE embedding IS NULL;
