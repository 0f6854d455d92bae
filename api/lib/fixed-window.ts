/**
 * Requests per subject in fixed windows, counted in this process without a promise or a timer per
 * subject: a window opens at a subject's first request and lasts `windowMs` (rate-limiter-flexible's
 * memory store counts the same way; ADR 019). Windows that ended are swept at most once a window.
 */
export interface WindowCount {
  /** Requests in the subject's current window, this one included. */
  count: number;
  /** Milliseconds until that window ends. */
  msBeforeNext: number;
}

export class FixedWindowCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweep: number;

  constructor(
    private readonly windowMs: number,
    now = Date.now(),
  ) {
    this.nextSweep = now + windowMs;
  }

  /** Counts one request of `subject` at `now`. */
  consume(subject: string, now = Date.now()): WindowCount {
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(subject);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(subject, window);
    }
    window.count++;
    return { count: window.count, msBeforeNext: window.endsAt - now };
  }

  /** Subjects with an open window (for tests and memory checks). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    this.nextSweep = now + this.windowMs;
    for (const [subject, window] of this.windows) if (window.endsAt <= now) this.windows.delete(subject);
  }
}
