/**
 * Knowledge: hybrid search latency (p50/p95 over 50 queries, access predicate of a non-admin reader included)
 * at N chunks on PGlite and on Postgres (BENCH_DATABASE_URL or TEST_DATABASE_URL; skipped when neither is
 * set), and ingestion speed (pages/s) of a generated 200-page PDF through extract + chunk, embedding excluded.
 * Sizes: KNOWLEDGE_BENCH_SIZES (default "10000"; "10000,100000" for both); engines: KNOWLEDGE_BENCH_ENGINES
 * (default "postgres,pglite"). Chunks are generated in SQL (random 384-dim
 * vectors; text of 60 words, 5 % from the school word list the queries use and the rest from a 20,000-word
 * synthetic vocabulary, so a two-word query matches under 1 % of the chunks as in real documents), and the
 * HNSW index is built after the rows as the migration defines it.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import postgres from 'postgres';
import { embedLexical } from '../../api/ai/embeddings/lexical';
import { DocumentExtractor } from '../../api/extract/extractor';
import { chunkBlocks } from '../../api/features/knowledge/knowledge.chunk';
import { extractForKnowledge } from '../../api/features/knowledge/knowledge.extract';
import { hybridSearch } from '../../api/features/knowledge/knowledge.search';
import type { Actor } from '../../api/lib/ctx';
import { connect, type Database } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { seed } from '../../db/seed';
import { makePdfDocument } from '../helpers/documents';
import { databaseUrlFor, servePglite } from '../helpers/template';
import { type Bench, type BenchRow, round } from './bench';

const WORDS =
  'policy student teacher grade homework attendance library bus schedule lunch safety drill parent meeting report science math reading art music field trip permission form budget club sports health nurse exam calendar holiday'.split(
    ' ',
  );
const QUERIES = [
  'homework policy',
  'field trip permission',
  'library schedule',
  'nurse health form',
  'math exam calendar',
];

export async function fill(
  db: Database,
  sql: postgres.Sql,
  chunks: number,
): Promise<{ repositoryId: string; reader: Actor }> {
  const [owner] = await sql<
    { id: string }[]
  >`insert into users (email, name) values ('bench@example.org', 'Bench') returning id`;
  const [repo] = await sql<{ id: string }[]>`
    insert into knowledge_repositories (name, owner_id, visibility) values ('bench', ${owner!.id}, 'roles') returning id`;
  await sql`insert into resource_grants (resource_type, resource_id, role_id)
    select 'repository', ${repo!.id}, id from roles where name = 'staff'`;
  const items = Math.max(1, Math.ceil(chunks / 100));
  await sql`insert into knowledge_items (repository_id, source_kind, title, sha256, status, stage, published_generation)
    select ${repo!.id}, 'text', 'doc ' || g, md5(g::text), 'ready', 'ready', 1 from generate_series(1, ${items}::int) g`;
  const words = `{${WORDS.join(',')}}`;
  // Set-based and index-last: the HNSW index is dropped while the rows go in (one insert per 10k rows, item
  // ids from one array, a random vector per row from one array constructor) and built once at the end —
  // inserting row by row into a live HNSW index is what made this bench too slow to finish.
  await sql`drop index if exists knowledge_chunks_hnsw_384`;
  for (let done = 0; done < chunks; done += 10_000) {
    const n = Math.min(10_000, chunks - done);
    await sql`
      with items as (select array_agg(id order by id) as ids from knowledge_items where repository_id = ${repo!.id})
      insert into knowledge_chunks (item_id, repository_id, generation, ordinal, text, token_count, text_search_config, embedding, dims)
      select items.ids[1 + g % ${items}], ${repo!.id}, 1, g,
             array_to_string(array(select case when random() < 0.05
                                     then (${words}::text[])[1 + floor(random() * ${WORDS.length})::int]
                                     else 'w' || floor(random() * 20000)::int end
                                   from generate_series(1, 60) where g > -1), ' '),
             120, 'english',
             array(select random() - 0.5 from generate_series(1, 384) where g > -1)::real[]::vector, 384
      from items, generate_series(${done}::int, ${done + n - 1}::int) g`;
  }
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local maintenance_work_mem = '256MB'`);
    await tx`create index knowledge_chunks_hnsw_384 on knowledge_chunks
      using hnsw ((embedding::vector(384)) vector_cosine_ops) where dims = 384`;
  });
  await sql`analyze knowledge_chunks`;
  void db;
  return {
    repositoryId: repo!.id,
    reader: {
      type: 'user',
      id: '00000000-0000-4000-8000-000000000001',
      label: 'reader',
      roles: ['staff'],
      capabilities: new Set(['knowledge:use']),
      scopes: null,
    },
  };
}

export async function measure(
  db: Database,
  repositoryId: string,
  reader: Actor,
): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < 55; i++) {
    const q = QUERIES[i % QUERIES.length]!;
    const started = performance.now();
    await hybridSearch(db, reader, {
      query: q,
      limit: 10,
      repositoryIds: [repositoryId],
      groups: [{ repositoryIds: [repositoryId], dimensions: 384, vector: embedLexical(q) }],
    });
    if (i >= 5) times.push(performance.now() - started); // the first five warm caches
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]! };
}

async function onPglite(size: number): Promise<BenchRow> {
  const pg = await PGlite.create({ extensions: { vector } });
  const served = await servePglite(pg);
  const { db, sql } = connect({ kind: 'socket', socketDir: served.socketDir }, { max: 4 });
  try {
    await runMigrations(db, sql);
    await seed(db);
    const started = performance.now();
    const { repositoryId, reader } = await fill(db, sql, size);
    const loadS = (performance.now() - started) / 1000;
    const { p50, p95 } = await measure(db, repositoryId, reader);
    return {
      engine: 'PGlite',
      chunks: size,
      'load+index s': round(loadS),
      'p50 ms': round(p50),
      'p95 ms': round(p95),
    };
  } finally {
    await sql.end();
    await served.stop();
    await pg.close();
  }
}

async function onPostgres(base: string, size: number): Promise<BenchRow> {
  const name = `aistudio_bench_${Date.now().toString(36)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const { db, sql } = connect({ kind: 'url', url: databaseUrlFor(base, name) }, { max: 4 });
  try {
    await runMigrations(db, sql);
    await seed(db);
    const started = performance.now();
    const { repositoryId, reader } = await fill(db, sql, size);
    const loadS = (performance.now() - started) / 1000;
    const { p50, p95 } = await measure(db, repositoryId, reader);
    return {
      engine: 'Postgres',
      chunks: size,
      'load+index s': round(loadS),
      'p50 ms': round(p50),
      'p95 ms': round(p95),
    };
  } finally {
    await sql.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

async function ingestion(pages: number): Promise<BenchRow> {
  const pdf = makePdfDocument(
    Array.from({ length: pages }, (_, p) => ({
      lines: Array.from(
        { length: 30 },
        (_, l) => `Page ${p + 1} line ${l + 1}: ${WORDS.slice(l % 20, (l % 20) + 12).join(' ')}.`,
      ),
    })),
  );
  const extractor = new DocumentExtractor();
  const started = performance.now();
  const extraction = await extractForKnowledge(extractor, pdf, 'bench.pdf');
  const chunks = chunkBlocks(extraction.blocks);
  const seconds = (performance.now() - started) / 1000;
  await extractor.close();
  return {
    engine: '(none)',
    chunks: chunks.length,
    'load+index s': round(seconds, 2),
    'p50 ms': `${round(pages / seconds)} pages/s`,
    'p95 ms': `${pages} pages, ${round(pdf.byteLength / 1024)} KB`,
  };
}

export const knowledgeBench: Bench = {
  id: 'knowledge',
  name: 'Knowledge: hybrid search p50/p95 by engine and size; ingestion pages/s (extract + chunk)',
  async run() {
    const sizes = (process.env.KNOWLEDGE_BENCH_SIZES ?? '10000').split(',').map(Number);
    const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    const engines = (process.env.KNOWLEDGE_BENCH_ENGINES ?? 'postgres,pglite').toLowerCase().split(',');
    const rows: BenchRow[] = [await ingestion(200)];
    for (const size of sizes) {
      if (base && engines.includes('postgres')) rows.push(await onPostgres(base, size));
      if (engines.includes('pglite')) rows.push(await onPglite(size));
    }
    return rows;
  },
};
