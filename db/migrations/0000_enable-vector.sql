-- Custom migration: drizzle-kit emits no CREATE EXTENSION. pgvector backs knowledge and decision search.
CREATE EXTENSION IF NOT EXISTS vector;
