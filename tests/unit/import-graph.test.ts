import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of the architecture (README, "Architecture"), checked on
 * the real import graph: every `import`, `import type`, `export … from` and
 * `import()` of src/ and flows/, resolved to files.
 */
const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'public' || name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Project-relative path → the project files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'flows'))]) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(ROOT, resolve(dirname(file), name.replace(/\.js$/, '.ts'))));
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** `src/domain/fraud.ts` → `domain`; `src/app.ts` → `app.ts`; `flows/menu.ts` → `flows`. */
function area(path: string): string {
  const parts = path.split(sep);
  if (parts[0] !== 'src') return parts[0]!;
  return parts[1]!;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

describe('import graph', () => {
  it('reads the whole program (a test over an empty graph would prove nothing)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('has no import cycle between the top-level folders of src/', () => {
    const areas = new Map<string, Set<string>>();
    for (const { from, to } of edges) {
      const [a, b] = [area(from), area(to)];
      if (a !== b && from.startsWith('src') && to.startsWith('src')) areas.set(a, new Set([...(areas.get(a) ?? []), b]));
    }
    const reachable = (start: string): Set<string> => {
      const seen = new Set<string>();
      const walk = (at: string) => {
        for (const next of areas.get(at) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          walk(next);
        }
      };
      walk(start);
      return seen;
    };
    // Folders that reach each other form one tangle; each tangle listed once, its members sorted.
    const tangles = new Set<string>();
    for (const a of areas.keys()) {
      const members = [...reachable(a)].filter((b) => b === a || reachable(b).has(a));
      if (members.length > 1) tangles.add(members.sort().join(' ⇄ '));
    }
    expect([...tangles]).toEqual([]);
  });

  it('keeps the domain below engine, channels, http and broadcast', () => {
    const upward = edges.filter(({ from, to }) => area(from) === 'domain' && ['engine', 'channels', 'http', 'broadcast'].includes(area(to)));
    expect(upward.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('keeps flows off models and platform clients (they talk to the domain through the engine)', () => {
    const wrong = edges.filter(({ from, to }) => area(from) === 'flows' && ['db', 'channels', 'http', 'broadcast'].includes(area(to)));
    expect(wrong.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('keeps the messaging core free of engine, domain and platforms', () => {
    const upward = edges.filter(({ from, to }) => area(from) === 'messaging' && !['messaging', 'vocabulary'].includes(area(to)));
    expect(upward.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('keeps the shared vocabulary at the bottom: it imports nothing of ours', () => {
    const upward = edges.filter(({ from, to }) => area(from) === 'vocabulary' && area(to) !== 'vocabulary');
    expect(upward.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('lets models take their words from the vocabulary, not from the messaging core or anything above', () => {
    const wrong = edges.filter(({ from, to }) => from.startsWith(join('src', 'db', 'models')) && !['db', 'vocabulary', 'security', 'messaging'].includes(area(to)));
    expect(wrong.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('keeps channels off domain internals: they reach people through the ChatReach port of their context', () => {
    const wrong = edges.filter(({ from, to }) => area(from) === 'channels' && area(to) === 'domain');
    expect(wrong.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it("keeps broadcast off other areas' models: it reaches chats and people through the domain", () => {
    const own = ['broadcast', 'broadcast-batch', 'delivery', 'delivery-attempt', 'delivery-outcome', 'delivery-receipt', 'notice-template', 'claim'].map((m) => join('src', 'db', 'models', `${m}.ts`));
    const wrong = edges.filter(({ from, to }) => area(from) === 'broadcast' && to.startsWith(join('src', 'db', 'models')) && !own.includes(to));
    const deps = edges.filter(({ from, to }) => area(from) === 'broadcast' && to === join('src', 'domain', 'deps.ts'));
    expect([...wrong, ...deps].map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('has no instanceof on a channel class outside its own folder', () => {
    const channelClasses = ['TelegramChannel', 'TelegramSender', 'ZaloOaChannel', 'ZaloBotChannel', 'SimulatorChannel'];
    const offenders = [...graph.keys()]
      .filter((file) => !file.startsWith(join('src', 'channels')))
      .filter((file) => channelClasses.some((c) => new RegExp(`instanceof\\s+${c}\\b`).test(readFileSync(join(ROOT, file), 'utf8'))));
    expect(offenders).toEqual([]);
  });
});
