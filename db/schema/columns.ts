/** Column types drizzle does not ship, shared by the domain schemas. */
import { customType } from 'drizzle-orm/pg-core';

/** A generated full-text column (always `generatedAlwaysAs`). */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** pgvector without a fixed dimension, written as its text form `[0.1,0.2,…]`. */
export const anyVector = customType<{ data: string }>({ dataType: () => 'vector' });
