import type { ConnectionInfo, Handler, ServerContext } from './context.js';
import { CommandError, toCommandError } from './errors.js';
import {
  aggregate,
  count,
  deleteCmd,
  distinct,
  find,
  findAndModify,
  getMore,
  insert,
  killCursors,
  update,
} from './crud.js';
import { buildInfo, getParameter, hello, serverStatus } from './diagnostics.js';
import {
  collStats,
  create,
  dbStats,
  drop,
  dropDatabase,
  dropIndexes,
  createIndexes,
  listCollections,
  listDatabases,
  listIndexes,
} from './namespaces.js';
import { checkStrictParams } from './strict-params.js';
import type { Doc } from './values.js';

/** Runs one command; failures come back as `{ok: 0}` replies, never as throws. */
export function runCommand(ctx: ServerContext, db: string, cmd: Doc, conn: ConnectionInfo): Doc {
  const name = Object.keys(cmd)[0];
  if (name === undefined) return new CommandError('FailedToParse', 'empty command document').toReply();
  // Own properties only: `constructor` or `toString` must not resolve to Object's.
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) {
    return new CommandError('CommandNotFound', `no such command: '${name}'`).toReply();
  }
  try {
    checkStrictParams(cmd);
    return handler(ctx, db, cmd, conn);
  } catch (err) {
    return toCommandError(err).toReply();
  } finally {
    if (WRITE_COMMANDS.has(name)) ctx.onWrite();
  }
}

const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
]);

/**
 * The commands FerretDB 1.24.2 also has; anything else is CommandNotFound,
 * as there. That includes `commitTransaction`/`abortTransaction` and the
 * session commands (`endSessions` …): `hello` still advertises sessions, as
 * FerretDB's does, so the driver sends `lsid` and ignores a failed endSessions.
 */
const HANDLERS: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  hostInfo: () => ({ system: { currentTime: new Date(), hostname: 'embedded' }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (_ctx, _db, _cmd, conn) => ({ you: conn.remote, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  insert,
  find,
  getMore,
  killCursors,
  update,
  delete: deleteCmd,
  findAndModify,
  findandmodify: findAndModify,
  count,
  distinct,
  aggregate,
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  collStats,
  dbStats,
};

