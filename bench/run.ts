/**
 * `npm run bench [name…]`: runs the benchmarks, each printing its figures against
 * a baseline measured in the same run. Names: webhook, import, broadcast.
 */
import { benchWebhook } from './webhook.js';
import { benchImport } from './import.js';
import { benchBroadcast } from './broadcast.js';

const benches: Record<string, () => Promise<unknown>> = {
  webhook: benchWebhook,
  import: benchImport,
  broadcast: benchBroadcast,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
process.exit(0);
