/**
 * The load driver of the streaming benchmarks (chat, relay): POSTs that read a streamed answer and time its
 * first token and its end, percentiles, and a process's resident memory.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

// No keep-alive: a reused socket the server just closed as idle (between phases) would fail with
// ECONNRESET; a fresh loopback connection costs every arm the same ~0.1 ms.
const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

export interface StreamTiming {
  ttftMs: number;
  totalMs: number;
}

/**
 * POSTs and reads a streamed answer; TTFT = first frame carrying answer text (`marker`), total = end of
 * the body. Resolves early with only TTFT when `holdOpen` (the RSS phase keeps the stream open).
 */
export function stream(
  url: string,
  body: unknown,
  marker: string,
  headers: Record<string, string> = {},
  hold?: Hold,
): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
        signal: hold?.signal,
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`${url} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        let ttftMs = -1;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (ttftMs >= 0) return;
          const text = tail + d;
          if (text.includes(marker)) {
            ttftMs = performance.now() - started;
            hold?.opened();
          } else tail = text.slice(-marker.length);
        });
        res.on('end', () => resolve({ ttftMs, totalMs: performance.now() - started }));
        res.on('error', (err) => (hold ? resolve({ ttftMs, totalMs: -1 }) : reject(err)));
      },
    );
    req.on('error', (err) => (hold?.signal.aborted ? resolve({ ttftMs: -1, totalMs: -1 }) : reject(err)));
    req.end(payload);
  });
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

export const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

/** An OpenAI chat completions request (the fake upstream, a peer gateway, our /api/v1/chat/completions). */
export const directBody = (model = 'fake-large') => ({
  model,
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'Benchmark me' }],
});

/** A POST /api/chat request (the AI SDK's useChat shape) starting a new conversation. */
export const relayBody = (modelId: string) => ({
  id: crypto.randomUUID(),
  modelId,
  trigger: 'submit-message',
  messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'Benchmark me' }] }],
});

/** What the first frame with answer text contains: OpenAI chunks, and the UI message stream. */
export const DIRECT_MARKER = '"content":"tok';
export const RELAY_MARKER = '"type":"text-delta"';

type Hold = { opened: () => void; signal: AbortSignal };

/**
 * Opens `count` streams with `start` (which passes `hold` to `stream`) and waits until each received its
 * first text (at most 60 s); `close` aborts them all.
 */
export async function openStreams(count: number, start: (hold: Hold) => Promise<unknown>) {
  const stop = new AbortController();
  setMaxListeners(count + 10, stop.signal); // one listener per open request
  let opened = 0;
  let ready!: () => void;
  const allOpen = new Promise<void>((r) => {
    ready = r;
  });
  const hold: Hold = {
    signal: stop.signal,
    opened: () => {
      if (++opened === count) ready();
    },
  };
  const pending = Array.from({ length: count }, () => start(hold).catch(() => undefined));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([allOpen, new Promise((r) => (timer = setTimeout(r, 60_000)))]);
  clearTimeout(timer);
  return {
    opened: () => opened,
    close: async () => {
      stop.abort();
      await Promise.allSettled(pending);
    },
  };
}
