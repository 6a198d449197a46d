// Handshake and the diagnostics drivers and tools ask for.

import { Long } from 'bson';
import {
  MAX_BSON_OBJECT_SIZE,
  MAX_MESSAGE_SIZE,
  MAX_WIRE_VERSION,
  MAX_WRITE_BATCH_SIZE,
  SERVER_VERSION,
  SESSION_TIMEOUT_MINUTES,
  type Handler,
} from './context.js';
import { isPlainObject, type Doc } from './values.js';

export const hello: Handler = (_ctx, _db, _cmd, conn) => ({
  helloOk: true,
  isWritablePrimary: true,
  ismaster: true,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  maxMessageSizeBytes: MAX_MESSAGE_SIZE,
  maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: SESSION_TIMEOUT_MINUTES,
  connectionId: conn.id,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

export const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  javascriptEngine: 'none',
  storageEngines: ['memory'],
  modules: [],
  ok: 1,
});

const PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  requireApiVersion: false,
  transactionLifetimeLimitSeconds: 60,
};

export const getParameter: Handler = (_ctx, _db, cmd) => {
  const all = cmd.getParameter === '*' || (isPlainObject(cmd.getParameter) && cmd.getParameter.allParameters === true);
  const out: Doc = {};
  for (const [k, v] of Object.entries(PARAMETERS)) if (all || cmd[k] !== undefined) out[k] = v;
  return { ...out, ok: 1 };
};

export const serverStatus: Handler = (ctx) => {
  const uptimeMillis = Date.now() - ctx.startedAt;
  return {
    host: ctx.address,
    version: SERVER_VERSION,
    process: 'embedded-mongo',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis: Long.fromNumber(uptimeMillis),
    localTime: new Date(),
    connections: { current: ctx.connectionCount(), available: 1000 },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    ok: 1,
  };
};
