// The extraction worker's entry: a plain ES module that teaches this thread TypeScript (tsx) and then loads
// the worker. It works the same under `npm start` / the container (node --import tsx), `npm run dev`
// (tsx watch) and vitest, whose loaders a worker thread does not inherit (docs/decisions/014).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
