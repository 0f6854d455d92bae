/**
 * Chat turns that run together are written together: the starts of answers that begin while an earlier
 * start is being written go as one statement once it finishes, and the same for their ends (api/lib/
 * write-group.ts). Under load that is one commit for dozens of turns instead of one each — on the embedded
 * database, whose single session executes every statement in turn, the writes were what made chat's first
 * token late at 200 streams (ADR 020). An idle server writes each turn at once, as before.
 */
import type { Queryable } from '../../../db/client';
import { perHandle, WriteGroup } from '../../lib/write-group';
import { saveTurnEnds, saveTurnStarts, type TurnEnd, type TurnStart } from './turns.repo';

/** Bounds one statement's JSON (a turn's start is a few hundred bytes, an end carries the whole answer). */
const MAX_BATCH = 100;

const startsOf = perHandle(
  (db: Queryable) =>
    new WriteGroup<TurnStart>({
      write: (turns) => saveTurnStarts(db, turns),
      maxBatch: MAX_BATCH,
      keyOf: (t) => t.conversationId,
    }),
);

const endsOf = perHandle(
  (db: Queryable) =>
    new WriteGroup<TurnEnd>({ write: (ends) => saveTurnEnds(db, ends), maxBatch: MAX_BATCH }),
);

export const saveTurnStart = (db: Queryable, turn: TurnStart): Promise<void> => startsOf(db).submit(turn);

export const saveTurnEnd = (db: Queryable, end: TurnEnd): Promise<void> => endsOf(db).submit(end);
