import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { z } from 'zod';
import type { DevDatabase } from './db/dev-database.js';
import { PiiCipher } from './security/pii-crypto.js';
import { errorMessage } from './errors.js';

/**
 * What `npm run dev` and `npm run seed:demo` share, so the seed writes where
 * the bot reads and encrypts with the keys the bot decrypts with.
 */

/** Database name on a bare dev server (embedded or FerretDB). */
const DEV_DATABASE = 'luonghuu';

/**
 * Sets PII_ENCRYPTION_KEYS and PII_INDEX_KEY from `<dataDir>/dev-keys.json`,
 * creating it once, unless the environment already has keys. Returns the
 * file used, or null when the environment's keys were kept.
 */
export function useDevelopmentPiiKeys(dataDir: string): string | null {
  if (process.env.PII_ENCRYPTION_KEYS && process.env.PII_INDEX_KEY) return null;
  const file = join(dataDir, 'dev-keys.json');
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify({ keys: `1:${PiiCipher.generateKey()}`, index: PiiCipher.generateKey() }), { mode: 0o600 });
  }
  const keys = JSON.parse(readFileSync(file, 'utf8')) as { keys: string; index: string };
  process.env.PII_ENCRYPTION_KEYS = keys.keys;
  process.env.PII_INDEX_KEY = keys.index;
  return file;
}

/** The app's connection string: MONGODB_URI as given, or the bare dev server plus our database name. */
export function devAppDatabaseUri(db: DevDatabase): string {
  return db.kind === 'env' ? db.uri : withDatabaseName(db.uri, DEV_DATABASE);
}

/** A bare server URI (`mongodb://host:port`, maybe `/` or `?options`) with a database name put in. */
function withDatabaseName(base: string, name: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?(\?.*)?$/.exec(base);
  return m ? `${m[1]}/${name}${m[2] ?? ''}` : `${base.replace(/\/$/, '')}/${name}`;
}

// ---------------------------------------------------------------------------
// `.data/dev-server.json`: the database a running `npm run dev` serves, so
// `npm run seed:demo` writes into it instead of starting a second server (a
// second embedded server's snapshot, or a second FerretDB on one SQLite
// directory, would lose one side's writes).

/** Written by `npm run dev` once its database is up; removed when it stops cleanly. */
export interface DevServerRecord {
  /** The `npm run dev` process. */
  pid: number;
  /** Bare server URI (no database name), as `DevDatabase.uri`. */
  uri: string;
  /** Never 'env': with MONGODB_URI both commands use it and no record is written. */
  kind: Exclude<DevDatabase['kind'], 'env'>;
  /** The database the app uses on that server. */
  database: string;
  startedAt: string;
}

const recordSchema = z.object({
  pid: z.number().int().positive(),
  uri: z.string().regex(/^mongodb:\/\/[^/?]+\/?(\?.*)?$/),
  kind: z.enum(['ferretdb', 'memory-server', 'embedded']),
  database: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/),
  startedAt: z.string(),
});

export const devServerFile = (dataDir: string): string => join(dataDir, 'dev-server.json');

/** The record `npm run dev` would write for this database; null for MONGODB_URI (nothing to share). */
export function devServerRecord(db: DevDatabase, pid: number = process.pid): DevServerRecord | null {
  if (db.kind === 'env') return null;
  return { pid, uri: db.uri, kind: db.kind, database: DEV_DATABASE, startedAt: new Date().toISOString() };
}

/** Writes the record atomically (a reader never sees half a file). */
export function writeDevServerRecord(dataDir: string, record: DevServerRecord): void {
  const file = devServerFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Removes the record if it is this process's (another dev server's record is left alone). */
export function removeDevServerRecord(dataDir: string, pid: number = process.pid): void {
  const read = readDevServerRecord(dataDir);
  if (read.record?.pid === pid) rmSync(devServerFile(dataDir), { force: true });
}

/** The record if present and well-formed; otherwise null and why (for the log). */
export function readDevServerRecord(dataDir: string): { record: DevServerRecord | null; problem?: string } {
  let text: string;
  try {
    text = readFileSync(devServerFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { record: null };
    return { record: null, problem: `unreadable (${errorMessage(err)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { record: null, problem: 'not JSON' };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) return { record: null, problem: `malformed (${parsed.error.issues[0]?.path.join('.') || 'record'})` };
  return { record: parsed.data };
}

/** The connection string of the app database a record names. */
export const devServerAppUri = (record: DevServerRecord): string => withDatabaseName(record.uri, record.database);

/** True when a process with this id exists (EPERM: it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the server at `uri` answers a MongoDB `ping` within `timeoutMs`. */
export async function answersPing(uri: string, timeoutMs = 2_000): Promise<boolean> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs, maxPoolSize: 1 });
  try {
    await connection.asPromise();
    await connection.db!.admin().ping();
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * The database of a running `npm run dev` in this data directory, or null when
 * there is none: no record, a malformed one, a dead pid, or a server that does
 * not answer `ping` (a stale record is logged and ignored, not removed).
 */
export async function findLiveDevServer(dataDir: string, log: (line: string) => void = () => undefined): Promise<DevServerRecord | null> {
  const { record, problem } = readDevServerRecord(dataDir);
  const file = devServerFile(dataDir);
  if (problem) log(`ignoring ${file}: ${problem}`);
  if (!record) return null;
  if (record.pid === process.pid || !processAlive(record.pid)) {
    log(`ignoring stale ${file}: process ${record.pid} is not running`);
    return null;
  }
  if (!(await answersPing(devServerAppUri(record)))) {
    log(`ignoring stale ${file}: nothing answers at ${record.uri}`);
    return null;
  }
  return record;
}

/** A record as a DevDatabase whose stop() leaves the server running (it is the dev server's). */
export function devServerDatabase(record: DevServerRecord): DevDatabase {
  return {
    uri: record.uri,
    kind: record.kind,
    label: `${record.kind} database of the running \`npm run dev\` (pid ${record.pid}) at ${record.uri}`,
    stop: async () => undefined,
  };
}
