import { deserialize, serialize, type DeserializeOptions } from 'bson';
import type { Doc } from './values.js';
import { errorMessage } from '../../errors.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_SIZE = 16;
const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
/** Bits 0-15 are "required": a receiver must reject ones it does not know. */
const KNOWN_REQUIRED_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME;

/**
 * The driver deserializes replies with promoteValues/promoteLongs on and
 * promoteBuffers off; we read requests the same way so Int32/Double arrive as
 * numbers, small Longs as numbers, and binary stays `Binary` (keeping its
 * subtype, e.g. UUID). Regexes stay BSONRegExp here: bson's own conversion
 * maps the `s` option to JS `g` (stateful matching) and throws on bad
 * patterns, so `toInternal` converts them with proper errors instead.
 */
const DESERIALIZE: DeserializeOptions = {
  promoteValues: true,
  promoteLongs: true,
  promoteBuffers: false,
  bsonRegExp: true,
  useBigInt64: false,
};

/** Thrown for bytes that are not a valid message: the connection is closed. */
export class ProtocolError extends Error {}

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type Request =
  | { kind: 'msg'; header: Header; moreToCome: boolean; command: Doc }
  | { kind: 'query'; header: Header; collection: string; command: Doc };

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function readDocument(buf: Buffer, offset: number, end: number): { doc: Doc; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError('BSON document length out of bounds');
  let doc: Doc;
  try {
    doc = deserialize(buf.subarray(offset, offset + size), DESERIALIZE);
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${errorMessage(err)}`);
  }
  return { doc, next: offset + size };
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated C string');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (header included); values are still raw BSON classes. */
export function parseMessage(buf: Buffer): Request {
  const header = readHeader(buf);
  if (header.length !== buf.length) throw new ProtocolError('message length mismatch');
  if (header.opCode === OP_MSG) return parseOpMsg(buf, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(buf, header);
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function parseOpMsg(buf: Buffer, header: Header): Request {
  if (buf.length < HEADER_SIZE + 5) throw new ProtocolError('OP_MSG too short');
  const flags = buf.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_FLAGS) !== 0) throw new ProtocolError(`unknown required OP_MSG flags ${flags}`);
  let end = buf.length;
  if (flags & FLAG_CHECKSUM_PRESENT) {
    end -= 4;
    if (end < HEADER_SIZE + 4) throw new ProtocolError('OP_MSG too short for checksum');
    if (crc32c(buf.subarray(0, end)) !== buf.readUInt32LE(end)) throw new ProtocolError('OP_MSG checksum mismatch');
  }
  let body: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  let offset = HEADER_SIZE + 4;
  while (offset < end) {
    const kind = buf[offset];
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG with more than one body section');
      const { doc, next } = readDocument(buf, offset, end);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = buf.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('document sequence length out of bounds');
      const id = readCString(buf, offset + 4, sectionEnd);
      const docs: Doc[] = [];
      let pos = id.next;
      while (pos < sectionEnd) {
        const { doc, next } = readDocument(buf, pos, sectionEnd);
        docs.push(doc);
        pos = next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  // A sequence is just the command's array field sent out of line.
  for (const [id, docs] of sequences) {
    const existing = body[id];
    body[id] = Array.isArray(existing) ? [...existing, ...docs] : docs;
  }
  return { kind: 'msg', header, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, command: body };
}

function parseOpQuery(buf: Buffer, header: Header): Request {
  const end = buf.length;
  if (end < HEADER_SIZE + 4) throw new ProtocolError('OP_QUERY too short');
  const ns = readCString(buf, HEADER_SIZE + 4, end);
  const offset = ns.next + 8; // numberToSkip, numberToReturn
  const { doc } = readDocument(buf, offset, end);
  // Old drivers wrap the command as {$query: {...}, $readPreference: ...}.
  const command = doc.$query !== null && typeof doc.$query === 'object' && !Array.isArray(doc.$query) ? (doc.$query as Doc) : doc;
  return { kind: 'query', header, collection: ns.value, command };
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId, 4);
  nextRequestId = (nextRequestId + 1) & 0x7fffffff;
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** OP_MSG reply with a single body section and no flags. */
export function encodeMsgReply(responseTo: number, doc: Doc): Buffer {
  const body = serialize(doc);
  const head = header(HEADER_SIZE + 4 + 1 + body.length, responseTo, OP_MSG);
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  return Buffer.concat([head, flagsAndKind, body]);
}

/** OP_REPLY carrying one document, the answer to a legacy OP_QUERY handshake. */
export function encodeOpReply(responseTo: number, doc: Doc): Buffer {
  const body = serialize(doc);
  const head = header(HEADER_SIZE + 20 + body.length, responseTo, OP_REPLY);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  // cursorID (8 bytes) stays 0, startingFrom 0
  fields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([head, fields, body]);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), the OP_MSG checksum. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = (CRC32C_TABLE[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
