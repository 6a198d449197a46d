/**
 * `npm run bench [name…]`: runs the benchmarks, each printing its figures against
 * a baseline measured in the same run. Names: webhook, import, broadcast, dashboard.
 * With several names (or none), each runs in its own process, so one bench's
 * memory does not show up in the next one's RSS figure.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchWebhook } from './webhook.js';
import { benchImport } from './import.js';
import { benchBroadcast } from './broadcast.js';
import { benchDashboard } from './dashboard.js';

const benches: Record<string, () => Promise<unknown>> = {
  webhook: benchWebhook,
  import: benchImport,
  broadcast: benchBroadcast,
  dashboard: benchDashboard,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(benches);
const unknown = names.filter((name) => !benches[name]);
if (unknown.length > 0) {
  console.error(`unknown benchmark "${unknown.join('", "')}"; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}

if (names.length === 1) {
  await benches[names[0]!]!();
  process.exit(0);
}
const self = fileURLToPath(import.meta.url);
for (const name of names) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, name], { stdio: 'inherit', env: process.env });
  if (child.status !== 0) process.exit(child.status ?? 1);
}
