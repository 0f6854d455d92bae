/**
 * The first page of each person's conversation list (the sidebar's request: no search, no cursor, no pinned
 * filter), kept until one of their conversations changes, so the list answers without a query (ADR 019).
 * What drops a person's pages:
 * - every write to their conversations in this process (`changed`, after the write commits);
 * - the same announced to other server processes on NOTIFY `conversations_changed` (Postgres), sent after
 *   commit and outside the writer's transaction, at most one every 25 ms with everyone changed meanwhile
 *   (under load every chat turn is a change): a NOTIFY inside the turn's own statements would serialise
 *   every turn's commit on Postgres's notification lock;
 * - whatever clears the hot caches (an audited change to users, roles, models: a deleted model empties
 *   `model_id` by cascade), and their 10 s TTL for what nothing announces (the CLI on the embedded database).
 * A page is stored as its load's promise in the person's map at the moment the read starts: a drop removes
 * the map, so a read that raced a write can never put the old rows back. What is stored is the finished
 * answer (the views and the cursor), built once per load, not once per read: callers must not mutate it.
 */
import type { Sql } from 'postgres';
import { afterCommit } from '../../../db/after-commit';
import type { DbHandle } from '../../../db/client';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import type { Logger } from '../../lib/logger';
import type { ConversationPageView } from './chat.schemas';

export const CONVERSATIONS_CHANNEL = 'conversations_changed';
/** NOTIFY payloads stop at 8,000 bytes: past this many people, everyone's pages are dropped instead. */
const MAX_IDS_PER_NOTICE = 150;
const EVERYONE = '*';
/** Other processes learn of a change at most this late (plus the NOTIFY's own trip). */
const NOTICE_INTERVAL_MS = 25;

/** `T`: what a first page is kept as (the list's answer; tests keep anything). */
export class ConversationPages<T = ConversationPageView> {
  private readonly pages: TtlCache<Map<string, Promise<T>>>;
  private unlisten: (() => Promise<void>) | null = null;
  private publisher: { sql: Sql; log: Logger } | null = null;
  /** People whose drop is waiting for the NOTIFY in flight; null = none waiting. */
  private queued: Set<string> | null = null;
  private sending: Promise<void> | null = null;
  private lastSent = 0;

  constructor(caches: HotCaches) {
    // Only people who opened their list in the last 10 s are held.
    this.pages = caches.create({ max: 2_000 });
  }

  /** The first page for `userId` in this shape: from memory, or `load()`'s (shared by concurrent reads). */
  firstPage(userId: string, shape: { archived: boolean; limit: number }, load: () => Promise<T>): Promise<T> {
    let mine = this.pages.get(userId);
    if (!mine) {
      mine = new Map();
      this.pages.set(userId, mine);
    }
    const key = `${shape.archived}:${shape.limit}`;
    let page = mine.get(key);
    if (!page) {
      const holder = mine;
      page = load().catch((err: unknown) => {
        if (holder.get(key) === page) holder.delete(key);
        throw err;
      });
      mine.set(key, page);
    }
    return page;
  }

  /**
   * `userId`'s conversations (null: anyone's) were written on `db`: drops their pages once that commits,
   * here and, on Postgres, in every other server process.
   */
  changed(db: object, userId: string | null): void {
    afterCommit(db, () => {
      this.drop(userId);
      this.announce(userId ?? EVERYONE);
    });
  }

  /** Follows other processes' announcements and sends ours (Postgres; embedded has one server process). */
  async subscribe(database: Pick<DbHandle, 'listen' | 'sql'>, log: Logger): Promise<void> {
    if (!database.listen) return;
    this.publisher = { sql: database.sql, log };
    try {
      this.unlisten = await database.listen(CONVERSATIONS_CHANNEL, (payload) => {
        for (const id of payload.split(',')) this.drop(id === EVERYONE ? null : id);
      });
    } catch (err) {
      log.warn({ err }, 'conversation pages: LISTEN failed; relying on their TTL');
    }
  }

  async close(): Promise<void> {
    this.publisher = null;
    await this.sending?.catch(() => {});
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
  }

  private drop(userId: string | null): void {
    if (userId === null) this.pages.clear();
    else this.pages.delete(userId);
  }

  private announce(id: string): void {
    if (!this.publisher) return;
    this.queued ??= new Set();
    this.queued.add(id);
    if (!this.sending) this.sending = this.sendQueued();
  }

  /** One NOTIFY at a time, NOTICE_INTERVAL_MS apart; drops arriving meanwhile go out together in the next. */
  private async sendQueued(): Promise<void> {
    while (this.queued && this.publisher) {
      const wait = this.lastSent + NOTICE_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!this.queued || !this.publisher) break;
      const ids = this.queued;
      this.queued = null;
      const payload = ids.has(EVERYONE) || ids.size > MAX_IDS_PER_NOTICE ? EVERYONE : [...ids].join(',');
      const { sql, log } = this.publisher;
      try {
        await sql`select pg_notify(${CONVERSATIONS_CHANNEL}, ${payload})`;
      } catch (err) {
        log.warn({ err }, 'conversation pages: NOTIFY failed; other processes rely on the TTL');
      }
      this.lastSent = Date.now();
    }
    this.sending = null;
  }
}
