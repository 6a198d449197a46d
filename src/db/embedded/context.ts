import type { CursorRegistry } from './cursors.js';
import type { Store } from './store.js';
import type { Doc } from './values.js';

/** What `hello`/`buildInfo` advertise; the driver sizes batches and picks features from these. */
export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;
export const SESSION_TIMEOUT_MINUTES = 30;

export interface ServerContext {
  store: Store;
  cursors: CursorRegistry;
  startedAt: number;
  address: string;
  /** Called after any command that may have changed data (drives the dev snapshot). */
  onWrite: () => void;
  connectionCount: () => number;
}

export interface ConnectionInfo {
  id: number;
  remote: string;
}

export type Handler = (ctx: ServerContext, db: string, cmd: Doc, conn: ConnectionInfo) => Doc;
