import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { runCommand } from './commands.js';
import { MAX_MESSAGE_SIZE, type ConnectionInfo, type ServerContext } from './context.js';
import { CursorRegistry } from './cursors.js';
import { CommandError, toCommandError } from './errors.js';
import { loadSnapshot, SnapshotWriter } from './persistence.js';
import { Store } from './store.js';
import { toInternal, type Doc } from './values.js';
import { encodeMsgReply, encodeOpReply, parseMessage, ProtocolError, readHeader } from './wire.js';
import { errorMessage } from '../../errors.js';

export interface EmbeddedMongo {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** EJSON snapshot for dev persistence: loaded at start, saved ~500 ms after writes and on stop. */
  dataFile?: string;
}

/** Legacy OP_QUERY is only for the first handshake; mongod 6+ refuses anything else over it. */
const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);
/** Slack over maxMessageSizeBytes for the header and section framing. */
const MAX_INCOMING = MAX_MESSAGE_SIZE + 16 * 1024 * 1024;

/**
 * A MongoDB wire-protocol server backed by memory, for tests and local dev
 * where no mongod can be installed. The official driver and mongoose talk to
 * it unmodified over TCP.
 */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const host = opts.host ?? '127.0.0.1';
  const store = new Store();
  if (opts.dataFile) await loadSnapshot(store, opts.dataFile);
  const writer = opts.dataFile ? new SnapshotWriter(store, opts.dataFile) : undefined;
  const sockets = new Set<Socket>();
  const ctx: ServerContext = {
    store,
    cursors: new CursorRegistry(),
    startedAt: Date.now(),
    address: host,
    onWrite: () => writer?.schedule(),
    connectionCount: () => sockets.size,
  };
  let nextConnectionId = 1;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const conn: ConnectionInfo = {
      id: nextConnectionId++,
      remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`,
    };
    const reader = new MessageReader((message) => handleMessage(ctx, conn, socket, message));
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        // Malformed framing or BSON: this connection is beyond repair, the server is not.
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  ctx.address = `${host}:${port}`;
  const sweeper = setInterval(() => ctx.cursors.sweep(), 60_000);
  sweeper.unref();

  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(sweeper);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        await writer?.flush();
      })();
      return stopped;
    },
  };
}

function handleMessage(ctx: ServerContext, conn: ConnectionInfo, socket: Socket, message: Buffer): void {
  // A malformed message throws out to the socket's data handler, which drops the connection.
  const request = parseMessage(message);
  const requestId = request.header.requestId;
  const send = (reply: Doc): void => {
    // moreToCome: unacknowledged write (w:0); the client reads no reply.
    if (request.kind === 'msg' && request.moreToCome) return;
    const encode = request.kind === 'query' ? encodeOpReply : encodeMsgReply;
    socket.write(safeEncode(reply, (doc) => encode(requestId, doc)));
  };
  let command: Doc;
  try {
    command = toInternal(request.command) as Doc;
  } catch (err) {
    // Well-framed but unusable values (e.g. an invalid regex): an error reply, not a hang-up.
    send(toCommandError(err).toReply());
    return;
  }
  if (request.kind === 'query') {
    const name = Object.keys(command)[0] ?? '';
    const dbName = request.collection.endsWith('.$cmd') ? request.collection.slice(0, -5) : '';
    send(
      dbName && OP_QUERY_COMMANDS.has(name)
        ? runCommand(ctx, dbName, command, conn)
        : new CommandError('UnsupportedOpQueryCommand', `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`).toReply(),
    );
    return;
  }
  const dbName = command.$db;
  send(
    typeof dbName === 'string' && dbName !== ''
      ? runCommand(ctx, dbName, command, conn)
      : new CommandError('FailedToParse', 'OP_MSG requests require a $db argument').toReply(),
  );
}

/** A reply that cannot be serialised (e.g. too large) becomes an error reply, not a dropped connection. */
function safeEncode(reply: Doc, encode: (doc: Doc) => Buffer): Buffer {
  try {
    return encode(reply);
  } catch (err) {
    return encode(new CommandError('InternalError', `cannot encode reply: ${errorMessage(err)}`).toReply());
  }
}

/**
 * Reassembles messages from TCP chunks without copying the whole backlog on
 * every chunk (bulk inserts arrive as 48 MB messages in 64 KB pieces).
 */
class MessageReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private readonly onMessage: (message: Buffer) => void;

  constructor(onMessage: (message: Buffer) => void) {
    this.onMessage = onMessage;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 16) return;
      const length = this.peekLength();
      if (length < 16 || length > MAX_INCOMING) throw new ProtocolError(`invalid message length ${length}`);
      if (this.buffered < length) return;
      this.onMessage(this.take(length));
    }
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    return readHeader(Buffer.concat(this.chunks, 16)).length;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0] as Buffer;
        const need = n - filled;
        if (c.length <= need) {
          c.copy(out, filled);
          filled += c.length;
          this.chunks.shift();
        } else {
          c.copy(out, filled, 0, need);
          this.chunks[0] = c.subarray(need);
          filled += need;
        }
      }
    }
    this.buffered -= n;
    return out;
  }
}
