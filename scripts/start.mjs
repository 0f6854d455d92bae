// `npm start`: build the web app if needed, then run the server in this same process. npm's script `exec`s
// node, so the SIGTERM/SIGINT npm forwards reaches the server's graceful shutdown (a `sh -c "a && b"` shell in
// between would die and leave the server orphaned). A signal during the build stops the build.
import { ensureBuild } from './ensure-build.mjs';

try {
  await ensureBuild();
} catch (err) {
  console.error(`ai-studio: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
await import('../api/server.ts');
