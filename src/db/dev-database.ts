import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { startEmbeddedMongo } from './embedded/server.js';

export type DevDatabaseKind = 'env' | 'ferretdb' | 'memory-server' | 'embedded';

export interface DevDatabase {
  /** Base connection string (no database name unless MONGODB_URI carried one). */
  uri: string;
  kind: DevDatabaseKind;
  stop(): Promise<void>;
}

export interface ResolveDevDatabaseOptions {
  /** Where FerretDB/mongod/embedded keep their files. */
  dataDir: string;
  log?: (line: string) => void;
  /** Keep data across restarts (embedded: `<dataDir>/embedded.ejson`; memory-server: `<dataDir>/mongod`). */
  persist?: boolean;
  /**
   * Where the "FerretDB install already attempted" marker lives, so the slow
   * `go install` is tried once per machine rather than once per run.
   * Defaults to `dataDir`.
   */
  cacheDir?: string;
}

const KINDS: readonly DevDatabaseKind[] = ['env', 'ferretdb', 'memory-server', 'embedded'];
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2';
const GO_INSTALL_TIMEOUT_MS = 120_000;
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Picks the database for local dev, tests and benchmarks, most real first:
 * 1. `MONGODB_URI` if set;
 * 2. a `ferretdb` binary (PATH or `$(go env GOPATH)/bin`; one `go install` attempt if Go exists);
 * 3. `mongodb-memory-server-core`, only with an offline mongod (`MONGOMS_SYSTEM_BINARY`), never downloading;
 * 4. the in-repo embedded wire-protocol server.
 * `DEV_DB=env|ferretdb|memory-server|embedded` forces one and fails if it cannot start.
 */
export async function resolveDevDatabase(opts: ResolveDevDatabaseOptions): Promise<DevDatabase> {
  const log = opts.log ?? (() => undefined);
  const forced = parseForced(process.env.DEV_DB);
  const chosen = await choose(opts, forced, log);
  log(`database: ${describeDatabase(chosen)}`);
  return chosen;
}

function parseForced(raw: string | undefined): DevDatabaseKind | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((KINDS as readonly string[]).includes(raw)) return raw as DevDatabaseKind;
  throw new Error(`DEV_DB must be one of ${KINDS.join(', ')} (got "${raw}")`);
}

function describeDatabase(db: DevDatabase): string {
  switch (db.kind) {
    case 'env':
      return `MONGODB_URI (${redact(db.uri)})`;
    case 'ferretdb':
      return `FerretDB (SQLite) at ${db.uri}`;
    case 'memory-server':
      return `mongodb-memory-server (system mongod) at ${db.uri}`;
    case 'embedded':
      return `embedded MongoDB-wire server at ${db.uri}`;
  }
}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

async function choose(
  opts: ResolveDevDatabaseOptions,
  forced: DevDatabaseKind | undefined,
  log: (line: string) => void,
): Promise<DevDatabase> {
  const envUri = process.env.MONGODB_URI;
  if (forced === 'env' || (forced === undefined && envUri)) {
    if (!envUri) throw new Error('DEV_DB=env but MONGODB_URI is not set');
    return { uri: envUri, kind: 'env', stop: async () => undefined };
  }

  if (forced === undefined || forced === 'ferretdb') {
    const bin = await findFerretDb(opts.cacheDir ?? opts.dataDir, log);
    if (bin) {
      try {
        return await startFerretDb(bin, opts.dataDir);
      } catch (err) {
        if (forced) throw err;
        log(`ferretdb did not start (${(err as Error).message}); falling back`);
      }
    } else if (forced) {
      throw new Error('DEV_DB=ferretdb but no ferretdb binary was found or could be installed');
    }
  }

  if (forced === 'memory-server' || (forced === undefined && process.env.MONGOMS_SYSTEM_BINARY)) {
    if (!process.env.MONGOMS_SYSTEM_BINARY) {
      throw new Error('DEV_DB=memory-server needs MONGOMS_SYSTEM_BINARY (a local mongod); downloads are disabled');
    }
    try {
      return await startMemoryServer(opts);
    } catch (err) {
      if (forced) throw err;
      log(`mongodb-memory-server did not start (${(err as Error).message}); falling back`);
    }
  }

  const dataFile = opts.persist ? join(opts.dataDir, 'embedded.ejson') : undefined;
  if (dataFile) await mkdir(opts.dataDir, { recursive: true });
  const server = await startEmbeddedMongo(dataFile ? { dataFile } : {});
  return { uri: server.uri, kind: 'embedded', stop: () => server.stop() };
}

// ---------------------------------------------------------------------------
// FerretDB

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${(stderr || err.message).trim().split('\n').pop() ?? ''}`));
      else resolve(stdout);
    });
  });
}

async function goBinDirs(): Promise<string[]> {
  const dirs: string[] = [];
  try {
    // One value per line, in the order asked; an unset GOBIN is an empty line.
    const [gobin = '', gopath = ''] = (await run('go', ['env', 'GOBIN', 'GOPATH'], 10_000)).split('\n').map((l) => l.trim());
    if (gobin) dirs.push(gobin);
    for (const p of gopath.split(delimiter)) if (p) dirs.push(join(p, 'bin'));
  } catch {
    // No Go toolchain: nothing to look in.
  }
  return dirs;
}

/** The first executable called `name` in `dirs`, in order. */
async function firstExecutable(dirs: string[], name: string): Promise<string | undefined> {
  for (const dir of dirs) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

async function findFerretDb(cacheDir: string, log: (line: string) => void): Promise<string | undefined> {
  const onPath = await firstExecutable((process.env.PATH ?? '').split(delimiter), 'ferretdb');
  if (onPath) return onPath;
  const goDirs = await goBinDirs();
  const inGoDirs = await firstExecutable(goDirs, 'ferretdb');
  if (inGoDirs) return inGoDirs;
  if (goDirs.length === 0) return undefined;

  const marker = join(cacheDir, 'ferretdb-install-attempted');
  try {
    await readFile(marker, 'utf8');
    return undefined; // tried before and it failed; don't pay for it again
  } catch {
    // first attempt
  }
  log(`ferretdb not found; trying once: go install ${FERRETDB_MODULE}`);
  try {
    await run('go', ['install', FERRETDB_MODULE], GO_INSTALL_TIMEOUT_MS);
  } catch (err) {
    log(`go install failed: ${(err as Error).message}`);
    await mkdir(cacheDir, { recursive: true });
    await writeFile(marker, `${new Date().toISOString()} ${(err as Error).message}\n`);
    return undefined;
  }
  return firstExecutable(goDirs, 'ferretdb');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited early (code ${String(child.exitCode ?? child.signalCode)})`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} not accepting connections after ${timeoutMs} ms`);
}

/** Ends a child we started: SIGTERM, then SIGKILL if it lingers. */
function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startFerretDb(bin: string, dataDir: string): Promise<DevDatabase> {
  const dir = join(dataDir, 'ferret');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    bin,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, '--state-dir=-'],
    { stdio: 'ignore' },
  );
  // If the parent dies without calling stop(), don't leave FerretDB behind.
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  try {
    await waitForPort(port, child, STARTUP_TIMEOUT_MS);
  } catch (err) {
    process.off('exit', onExit);
    await killChild(child);
    throw err;
  }
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    kind: 'ferretdb',
    stop: async () => {
      process.off('exit', onExit);
      await killChild(child);
    },
  };
}

// ---------------------------------------------------------------------------
// mongodb-memory-server (system binary only)

async function startMemoryServer(opts: ResolveDevDatabaseOptions): Promise<DevDatabase> {
  // Belt and braces: the package must never fetch a mongod from the internet here.
  process.env.MONGOMS_RUNTIME_DOWNLOAD = 'false';
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  let dbPath: string | undefined;
  if (opts.persist) {
    dbPath = join(opts.dataDir, 'mongod');
    await mkdir(dbPath, { recursive: true });
  }
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: process.env.MONGOMS_SYSTEM_BINARY },
    instance: { ip: '127.0.0.1', ...(dbPath ? { dbPath, storageEngine: 'wiredTiger' as const } : {}) },
  });
  const uri = server.getUri().replace(/\/$/, '');
  return { uri, kind: 'memory-server', stop: async () => void (await server.stop({ doCleanup: !opts.persist })) };
}
