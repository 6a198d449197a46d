/**
 * `npm run bench:compare [-- --base <rev>] [name…]`: runs benchmarks on an earlier
 * revision and on this checkout, one after the other in the same run and on the
 * same kind of database, so a refactoring's cost shows as before/after figures.
 * The earlier revision is checked out as a git worktree in a temporary folder
 * (sharing node_modules); its own bench code measures it. Default base: the last
 * commit before the architecture step (issue 12); default benches: webhook, broadcast.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BEFORE_ARCHITECTURE_STEP = '4896d41';

const args = process.argv.slice(2);
const baseAt = args.indexOf('--base');
const base = baseAt >= 0 ? args[baseAt + 1] : BEFORE_ARCHITECTURE_STEP;
const names = args.filter((a, i) => !a.startsWith('-') && (baseAt < 0 || i !== baseAt + 1));
const benches = names.length > 0 ? names : ['webhook', 'broadcast'];
if (!base) {
  console.error('--base needs a revision');
  process.exit(2);
}

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const git = (...a: string[]) => spawnSync('git', a, { cwd: root, encoding: 'utf8' });
const head = git('rev-parse', '--short', 'HEAD').stdout.trim();
const baseRev = git('rev-parse', '--short', base).stdout.trim();
if (!baseRev) {
  console.error(`unknown revision ${base}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-base-'));
const added = git('worktree', 'add', '--detach', dir, baseRev);
if (added.status !== 0) {
  console.error(added.stderr);
  process.exit(1);
}
symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');

function run(where: string, label: string, bench: string): number {
  console.log(`\n==== ${bench} — ${label} ====`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(where, 'bench', 'run.ts'), bench], { cwd: where, stdio: 'inherit', env: process.env });
  return child.status ?? 1;
}

let failed = 0;
try {
  for (const bench of benches) {
    failed += run(dir, `before (${baseRev})`, bench) === 0 ? 0 : 1;
    failed += run(root, `after (${head})`, bench) === 0 ? 0 : 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  git('worktree', 'prune');
}
process.exit(failed > 0 ? 1 : 0);
