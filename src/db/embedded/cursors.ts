import { calculateObjectSize, Long } from 'bson';
import { CommandError } from './errors.js';
import type { Doc } from './values.js';

/** mongod's default first batch for find/aggregate when the client names none. */
export const DEFAULT_FIRST_BATCH = 101;
/** A reply must stay under the 16 MiB document limit, envelope included. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
/** Abandoned cursors (client crashed before killCursors) go after this long. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export interface Batch {
  id: Long;
  batch: Doc[];
}

/**
 * Results are materialised when the cursor opens. Stored documents are never
 * mutated in place (updates swap in new objects), so a cursor sees a stable
 * snapshot, much like mongod's snapshot read at the start of a batch.
 */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1 + Math.floor(Math.random() * 2 ** 31);

  open(ns: string, docs: Doc[], firstBatchSize: number | undefined, singleBatch: boolean): Batch {
    const size = firstBatchSize ?? DEFAULT_FIRST_BATCH;
    const { batch, pos } = takeBatch(docs, 0, size);
    if (singleBatch || pos >= docs.length) return { id: Long.ZERO, batch };
    const id = this.nextId++;
    this.cursors.set(id, { ns, docs, pos, lastUsed: Date.now() });
    return { id: Long.fromNumber(id), batch };
  }

  /** Next batch of cursor `rawId`, which must belong to namespace `ns` as mongod requires. */
  more(rawId: unknown, ns: string, batchSize: number | undefined): Batch & { ns: string } {
    const id = toId(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    const { batch, pos } = takeBatch(cursor.docs, cursor.pos, batchSize && batchSize > 0 ? batchSize : Infinity);
    cursor.pos = pos;
    cursor.lastUsed = Date.now();
    if (pos >= cursor.docs.length) {
      this.cursors.delete(id);
      return { id: Long.ZERO, batch, ns: cursor.ns };
    }
    return { id: Long.fromNumber(id), batch, ns: cursor.ns };
  }

  kill(rawIds: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of rawIds) {
      const id = toId(raw);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { killed, notFound };
  }

  killNamespace(prefix: string): void {
    for (const [id, c] of this.cursors) if (c.ns === prefix || c.ns.startsWith(`${prefix}.`)) this.cursors.delete(id);
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }

  get size(): number {
    return this.cursors.size;
  }
}

function toId(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (raw instanceof Long) return raw.toNumber();
  if (typeof raw === 'bigint') return Number(raw);
  throw new CommandError('TypeMismatch', 'cursor id must be a 64-bit integer');
}

function takeBatch(docs: Doc[], start: number, max: number): { batch: Doc[]; pos: number } {
  const batch: Doc[] = [];
  let pos = start;
  let bytes = 0;
  while (pos < docs.length && batch.length < max) {
    const doc = docs[pos] as Doc;
    const size = calculateObjectSize(doc);
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    batch.push(doc);
    bytes += size;
    pos++;
  }
  return { batch, pos };
}
