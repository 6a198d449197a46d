import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/db/embedded/server.js';
import {
  devServerAppUri,
  devServerFile,
  findLiveDevServer,
  readDevServerRecord,
  removeDevServerRecord,
  writeDevServerRecord,
  type DevServerRecord,
} from '../../src/dev-setup.js';

/**
 * `npm run seed:demo` while `npm run dev` runs: the seed goes into the dev
 * server's own database (named in .data/dev-server.json) instead of a second
 * server whose snapshot would later be overwritten. Both run as child
 * processes in a temporary working directory, as a developer would run them.
 */

const root = join(import.meta.dirname, '..', '..');
// What `node --import tsx` loads, by absolute path: the children's working directory has no node_modules.
const tsxLoader = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const DEMO_BENEFICIARIES = 50;
const DEMO_PAYMENTS = 49 * 6;

const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }),
  );
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lhb-dev-seed-'));
  dirs.push(dir);
  return dir;
}

/** A port nothing listens on (just closed): PORT for the dev server, or an address that never answers. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Only what a developer's shell would give: no MONGODB_URI, no keys (the dev server makes them in .data/). */
const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DEV_DB: 'embedded' });

function run(script: string, cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(root, script)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** `npm run dev` in `cwd`, resolved once it has printed its URLs. */
async function startDev(cwd: string) {
  const port = await freePort();
  const dev = run('src/dev.ts', cwd, {
    ...baseEnv(),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    BROADCAST_WORKER_ENABLED: 'false',
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev server not ready after 40 s:\n${dev.output()}`)), 40_000);
    const check = () => {
      if (!/Staff console:/.test(dev.output())) return;
      clearTimeout(timer);
      resolve();
    };
    dev.child.stdout.on('data', check);
    void dev.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`dev server exited (${String(code)}) before ready:\n${dev.output()}`));
    });
  });
  return dev;
}

async function stop(proc: ReturnType<typeof run>): Promise<number | null> {
  proc.child.kill('SIGTERM');
  return proc.exited;
}

function recordIn(cwd: string): DevServerRecord {
  const { record, problem } = readDevServerRecord(join(cwd, '.data'));
  if (!record) throw new Error(`no dev-server.json record in ${cwd}: ${problem ?? 'missing'}`);
  return record;
}

/** Demo rows in the app database at `uri`, counted over a connection of our own. */
async function demoCounts(uri: string, marker = false) {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await connection.asPromise();
    const db = connection.db!;
    const demo = { bhxhCode: { $regex: '^\\d{2}9900\\d{4}$' } };
    return {
      beneficiaries: await db.collection('beneficiaries').countDocuments(demo),
      payments: await db.collection('payments').countDocuments(demo),
      ...(marker ? { markers: await db.collection('dev_seed_marker').countDocuments() } : {}),
    };
  } finally {
    await connection.close();
  }
}

describe('npm run seed:demo while npm run dev runs', () => {
  it('seeds into the dev server’s database, which still holds the seed after the dev server restarts', async () => {
    const cwd = await tempDir();
    const dev = await startDev(cwd);
    const first = recordIn(cwd);
    expect(first).toMatchObject({ pid: dev.child.pid, kind: 'embedded', database: 'luonghuu' });

    const seed = run('scripts/seed-demo.ts', cwd, baseEnv());
    expect(await seed.exited, seed.output()).toBe(0);
    expect(seed.output()).toContain(`running \`npm run dev\` (pid ${dev.child.pid})`);
    expect(seed.output()).not.toContain('embedded MongoDB-wire server'); // it started no server of its own
    expect(seed.output()).toContain(`Demo register: ${DEMO_BENEFICIARIES} created`);
    expect(seed.output()).toContain(`In the database: ${DEMO_BENEFICIARIES} demo beneficiaries, ${DEMO_PAYMENTS} ledger rows`);

    // The running dev server's database holds the seed.
    const appUri = devServerAppUri(first);
    expect(await demoCounts(appUri)).toEqual({ beneficiaries: DEMO_BENEFICIARIES, payments: DEMO_PAYMENTS });

    // A write the dev server takes after the seed (it used to flush its own snapshot over the seed's).
    const writer = mongoose.createConnection(appUri, { serverSelectionTimeoutMS: 5_000 });
    await writer.asPromise();
    await writer.db!.collection('dev_seed_marker').insertOne({ at: new Date() });
    await writer.close();

    expect(await stop(dev), dev.output()).toBe(0);
    expect(existsSync(devServerFile(join(cwd, '.data')))).toBe(false);

    const again = await startDev(cwd);
    const second = recordIn(cwd);
    expect(second.pid).toBe(again.child.pid);
    expect(await demoCounts(devServerAppUri(second), true)).toEqual({ beneficiaries: DEMO_BENEFICIARIES, payments: DEMO_PAYMENTS, markers: 1 });
    expect(await stop(again), again.output()).toBe(0);
  }, 90_000);

  it('ignores a stale dev-server.json (its process is gone) and seeds the database under .data/ itself', async () => {
    const cwd = await tempDir();
    const dataDir = join(cwd, '.data');
    await mkdir(dataDir, { recursive: true });
    const gone = spawn(process.execPath, ['-e', '']);
    children.add(gone);
    await new Promise((resolve) => gone.once('exit', resolve));
    const deadPid = gone.pid!;
    await writeFile(
      devServerFile(dataDir),
      JSON.stringify({ pid: deadPid, uri: `mongodb://127.0.0.1:${await freePort()}`, kind: 'embedded', database: 'luonghuu', startedAt: new Date().toISOString() }),
    );

    const seed = run('scripts/seed-demo.ts', cwd, baseEnv());
    expect(await seed.exited, seed.output()).toBe(0);
    expect(seed.output()).toContain(`process ${deadPid} is not running`);
    expect(seed.output()).toContain('embedded MongoDB-wire server');
    expect(seed.output()).toContain(`Demo register: ${DEMO_BENEFICIARIES} created`);

    // The seed's own server saved its snapshot where `npm run dev` will load it.
    const server = await startEmbeddedMongo({ dataFile: join(dataDir, 'embedded.ejson') });
    try {
      expect(await demoCounts(`${server.uri}/luonghuu`)).toEqual({ beneficiaries: DEMO_BENEFICIARIES, payments: DEMO_PAYMENTS });
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('dev-server.json helpers', () => {
  const record = (over: Partial<DevServerRecord> = {}): DevServerRecord => ({
    pid: process.ppid, // alive, and not this process
    uri: inject('mongoUri'),
    kind: 'embedded',
    database: 'luonghuu',
    startedAt: new Date().toISOString(),
    ...over,
  });

  it('finds a record whose process is alive and whose server answers ping', async () => {
    const dataDir = await tempDir();
    writeDevServerRecord(dataDir, record());
    expect(await findLiveDevServer(dataDir)).toMatchObject({ pid: process.ppid, database: 'luonghuu' });
  });

  it('ignores a live process whose server does not answer, and a malformed file', async () => {
    const dataDir = await tempDir();
    const lines: string[] = [];
    writeDevServerRecord(dataDir, record({ uri: `mongodb://127.0.0.1:${await freePort()}` }));
    expect(await findLiveDevServer(dataDir, (l) => lines.push(l))).toBeNull();
    expect(lines.join('\n')).toContain('nothing answers');

    await writeFile(devServerFile(dataDir), '{"pid":"x"}');
    expect(await findLiveDevServer(dataDir, (l) => lines.push(l))).toBeNull();
    expect(lines.join('\n')).toContain('malformed');
  });

  it('removes only its own record', async () => {
    const dataDir = await tempDir();
    writeDevServerRecord(dataDir, record());
    removeDevServerRecord(dataDir, process.pid);
    expect(existsSync(devServerFile(dataDir))).toBe(true);
    removeDevServerRecord(dataDir, process.ppid);
    expect(existsSync(devServerFile(dataDir))).toBe(false);
  });
});
