import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmbeddedMongo } from './embedded/server.js';
import { startFerretDb, verifiedFerretDbBinary } from './ferretdb.js';
import { errorMessage } from '../errors.js';

export type DevDatabaseKind = 'env' | 'ferretdb' | 'memory-server' | 'embedded';

export interface DevDatabase {
  /** Base connection string (no database name unless MONGODB_URI carried one). */
  uri: string;
  kind: DevDatabaseKind;
  /** What to print: server, version and address (credentials redacted). */
  label: string;
  stop(): Promise<void>;
}

export interface ResolveDevDatabaseOptions {
  /** Where FerretDB/mongod/embedded keep their files. */
  dataDir: string;
  log?: (line: string) => void;
  /** Keep data across restarts (embedded: `<dataDir>/embedded.ejson`; memory-server: `<dataDir>/mongod`). */
  persist?: boolean;
}

const KINDS: readonly DevDatabaseKind[] = ['env', 'ferretdb', 'memory-server', 'embedded'];

/**
 * Picks the database for local dev, tests and benchmarks, most real first:
 * 1. `MONGODB_URI` if set;
 * 2. FerretDB 1.24.2 built from scripts/ferretdb (FERRETDB_BIN, the cached build, or a build when Go exists);
 * 3. `mongodb-memory-server-core`, only with an offline mongod (`MONGOMS_SYSTEM_BINARY`), never downloading;
 * 4. the in-repo embedded wire-protocol server.
 * `DEV_DB=env|ferretdb|memory-server|embedded` forces one and fails if it cannot start.
 * A FerretDB that cannot be built or started is reported with its own error before falling back.
 */
export async function resolveDevDatabase(opts: ResolveDevDatabaseOptions): Promise<DevDatabase> {
  const log = opts.log ?? (() => undefined);
  const forced = parseForced(process.env.DEV_DB);
  const chosen = await choose(opts, forced, log);
  log(`database: ${chosen.label}`);
  return chosen;
}

function parseForced(raw: string | undefined): DevDatabaseKind | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((KINDS as readonly string[]).includes(raw)) return raw as DevDatabaseKind;
  throw new Error(`DEV_DB must be one of ${KINDS.join(', ')} (got "${raw}")`);
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
    return { uri: envUri, kind: 'env', label: `MONGODB_URI (${redact(envUri)})`, stop: async () => undefined };
  }

  if (forced === undefined || forced === 'ferretdb') {
    try {
      return await ferretDb(opts.dataDir, opts.persist ?? false, log);
    } catch (err) {
      if (forced) throw err;
      log(`FerretDB unavailable, falling back: ${errorMessage(err)}`);
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
      log(`mongodb-memory-server did not start (${errorMessage(err)}); falling back`);
    }
  }

  const dataFile = opts.persist ? join(opts.dataDir, 'embedded.ejson') : undefined;
  if (dataFile) await mkdir(opts.dataDir, { recursive: true });
  const server = await startEmbeddedMongo(dataFile ? { dataFile } : {});
  return { uri: server.uri, kind: 'embedded', label: `embedded MongoDB-wire server (dev only) at ${server.uri}`, stop: () => server.stop() };
}

async function ferretDb(dataDir: string, durable: boolean, log: (line: string) => void): Promise<DevDatabase> {
  const { bin, version } = await verifiedFerretDbBinary(log);
  const server = await startFerretDb(bin, join(dataDir, 'ferret'), durable);
  const label = `FerretDB ${version} (SQLite${durable ? '' : ', synchronous=off'}) at ${server.uri}`;
  return { uri: server.uri, kind: 'ferretdb', label, stop: () => server.stop() };
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
  return { uri, kind: 'memory-server', label: `mongodb-memory-server (system mongod) at ${uri}`, stop: async () => void (await server.stop({ doCleanup: !opts.persist })) };
}
