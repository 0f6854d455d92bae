/**
 * `npm run bench`: prints each benchmark's figures. Speed targets live here, not in timed unit tests.
 * `npm run bench -- <id>` runs one (startup, http, chat, api, knowledge, relay, oauth); any other text filters by name.
 */
import { apiBench } from './api.bench';
import type { Bench } from './bench';
import { chatStreamBench } from './chat-stream.bench';
import { httpBench } from './http.bench';
import { knowledgeBench } from './knowledge.bench';
import { oauthBench } from './oauth.bench';
import { relayBench } from './relay.bench';
import { startupBench } from './startup.bench';

const benches: Bench[] = [
  startupBench,
  httpBench,
  chatStreamBench,
  apiBench,
  knowledgeBench,
  relayBench,
  oauthBench,
];

const filter = process.argv.slice(2).join(' ').toLowerCase();
const byId = benches.filter((b) => b.id === filter);
const selected = byId.length ? byId : benches.filter((b) => !filter || b.name.toLowerCase().includes(filter));
let failed = 0;
for (const bench of selected) {
  console.log(`\n${bench.name}`);
  try {
    console.table(await bench.run());
  } catch (err) {
    failed++;
    console.log(`  failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
