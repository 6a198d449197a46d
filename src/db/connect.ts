import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logger.js';

// A filter naming a field the schema lacks is a bug or an attack: fail loudly.
// Filters built from request input also get `sanitizeFilter` per query (see
// userFilter below); a global setting would also neuter the app's own $lt/$or.
mongoose.set('strictQuery', 'throw');

/** Query options for filters that contain user input: `$` operators in values are neutralised. */
export const USER_FILTER = { sanitizeFilter: true } as const;

/**
 * True when a write failed on a unique index (E11000) and on nothing else; safe
 * for any thrown value, null included. An unordered bulk insert reports each
 * row's error: it counts only when every failed row was a duplicate.
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: unknown } | null;
  if (e?.code === 11000) return true;
  const rows = Array.isArray(e?.writeErrors) ? (e.writeErrors as { code?: unknown; err?: { code?: unknown } }[]) : [];
  return rows.length > 0 && rows.every((row) => (row.code ?? row.err?.code) === 11000);
}

/**
 * Opens a dedicated connection (not the mongoose singleton) so several app
 * instances can live in one process in tests. The driver reconnects by itself;
 * we only log the transitions.
 */
export async function connectDatabase(uri: string, logger: Logger): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 10_000,
    heartbeatFrequencyMS: 5_000,
    maxPoolSize: 50,
    autoIndex: true,
    // Command events let benchmarks and tests count database commands per unit of work.
    monitorCommands: true,
  });
  connection.on('disconnected', () => logger.warn({ event: 'db_disconnected' }, 'database disconnected'));
  connection.on('reconnected', () => logger.info({ event: 'db_reconnected' }, 'database reconnected'));
  connection.on('error', (err: Error) => logger.error({ event: 'db_error', err: err.message }, 'database error'));
  await connection.asPromise();
  return connection;
}

/** True when the server answers a ping; used by /readyz. */
export async function databaseReachable(connection: Connection): Promise<boolean> {
  try {
    if (connection.readyState !== 1 || !connection.db) return false;
    await connection.db.admin().ping();
    return true;
  } catch {
    return false;
  }
}
