import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, BSONRegExp, Binary, Decimal128, Long, MongoClient, MongoServerError, ObjectId, UUID, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { resolveDevDatabase } from '../../src/db/dev-database.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/server.js';
import { crc32c } from '../../src/db/embedded/wire.js';

// These tests start their own server (not the global-setup one) so they always
// exercise the embedded implementation, whatever database the rest of the suite uses.

let server: EmbeddedMongo;
let client: MongoClient;

const dbName = (): string => `t_${randomBytes(5).toString('hex')}`;
const freshDb = (): Db => client.db(dbName());

beforeAll(async () => {
  server = await startEmbeddedMongo({ port: 0 });
  client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000, monitorCommands: true });
  await client.connect();
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe('CRUD through the official driver', () => {
  it('inserts, then finds with filter, sort, skip, limit and projection', async () => {
    const c = freshDb().collection('people');
    await c.insertMany([
      { name: 'An', age: 70, city: 'Hanoi', address: { street: 'Tran Phu', no: 1 } },
      { name: 'Binh', age: 65, city: 'Hue', address: { street: 'Le Loi', no: 2 } },
      { name: 'Chi', age: 80, city: 'Hanoi', address: { street: 'Hang Bac', no: 3 } },
      { name: 'Dung', age: 58, city: 'Da Nang' },
    ]);

    const hanoi = await c.find({ city: 'Hanoi' }).sort({ age: -1 }).toArray();
    expect(hanoi.map((d) => d.name)).toEqual(['Chi', 'An']);
    expect(hanoi[0]?._id).toBeInstanceOf(ObjectId);

    const paged = await c.find({ age: { $gte: 60 } }).sort({ name: 1 }).skip(1).limit(1).toArray();
    expect(paged.map((d) => d.name)).toEqual(['Binh']);

    const included = await c.find({ name: 'An' }, { projection: { name: 1, 'address.street': 1, _id: 0 } }).toArray();
    expect(included).toEqual([{ name: 'An', address: { street: 'Tran Phu' } }]);

    // As in mongod, a projection keeps _id as the first field.
    expect(Object.keys((await c.findOne({ name: 'An' }, { projection: { name: 1 } })) ?? {})).toEqual(['_id', 'name']);
    const [projected] = await c.aggregate([{ $match: { name: 'An' } }, { $project: { city: 1, name: 1 } }]).toArray();
    expect(Object.keys(projected ?? {})[0]).toBe('_id');
    expect(projected).toMatchObject({ city: 'Hanoi', name: 'An' });

    const excluded = await c.findOne({ name: 'Binh' }, { projection: { address: 0, _id: 0 } });
    expect(excluded).toEqual({ name: 'Binh', age: 65, city: 'Hue' });

    const logic = await c
      .find({ $or: [{ age: { $lt: 60 } }, { 'address.no': { $in: [3] } }], name: { $not: /^A/ }, city: { $exists: true } })
      .sort({ name: 1 })
      .toArray();
    expect(logic.map((d) => d.name)).toEqual(['Chi', 'Dung']);

    expect((await c.find({ name: { $regex: '^b', $options: 'i' } }).toArray()).map((d) => d.name)).toEqual(['Binh']);
    // The BSON `s` option means dotAll, as in mongod (bson's own conversion would turn it into JS `g`).
    await c.insertOne({ name: 'Em', note: 'line one\nline two' });
    expect((await c.find({ note: new BSONRegExp('one.line', 's') }).toArray()).map((d) => d.name)).toEqual(['Em']);
    expect(await c.countDocuments({ note: /one.line/ })).toBe(0);
    await c.deleteOne({ name: 'Em' });
    // PCRE-only syntax is refused with an error reply; the connection stays usable.
    await expect(c.findOne({ name: new BSONRegExp('(?i)an') })).rejects.toMatchObject({ code: 2 });
    await expect(c.findOne({ name: { $regex: '(' } })).rejects.toMatchObject({ code: 2 });
    expect(await c.countDocuments({ address: { $exists: false } })).toBe(1);
    expect(await c.countDocuments({ $expr: { $gt: ['$age', 66] } })).toBe(2);
  });

  it('matches arrays with $elemMatch, $size, $all and equality on elements', async () => {
    const c = freshDb().collection('arrays');
    await c.insertMany([
      { k: 1, tags: ['a', 'b'], items: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 5 }] },
      { k: 2, tags: ['b', 'c', 'd'], items: [{ sku: 'x', qty: 7 }] },
      { k: 3, tags: [], items: [] },
    ]);
    const ks = async (filter: object): Promise<number[]> =>
      (await c.find(filter).sort({ k: 1 }).toArray()).map((d) => d.k as number);
    expect(await ks({ tags: 'b' })).toEqual([1, 2]);
    expect(await ks({ tags: { $size: 3 } })).toEqual([2]);
    expect(await ks({ tags: { $all: ['b', 'a'] } })).toEqual([1]);
    expect(await ks({ items: { $elemMatch: { sku: 'x', qty: { $gt: 5 } } } })).toEqual([2]);
    expect(await ks({ 'items.qty': { $gte: 5 } })).toEqual([1, 2]);
    expect(await ks({ tags: { $nin: ['a', 'c'] } })).toEqual([3]);
    expect(await ks({ tags: { $type: 'array' }, 'items.0': { $exists: false } })).toEqual([3]);
    expect(await ks({ tags: { $type: 'string' } })).toEqual([1, 2]);
    expect(await ks({ 'items.qty': { $type: 'int' } })).toEqual([1, 2]);
  });

  it('serves more than 101 documents through real getMore batches', async () => {
    const db = freshDb();
    const c = db.collection('many');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i, even: i % 2 === 0 })));
    const getMores: number[] = [];
    const onStart = (ev: { commandName: string; databaseName: string }): void => {
      if (ev.commandName === 'getMore' && ev.databaseName === db.databaseName) getMores.push(1);
    };
    client.on('commandStarted', onStart);
    try {
      const all = await c.find({}, { batchSize: 30 }).sort({ i: -1 }).toArray();
      expect(all).toHaveLength(250);
      expect(all.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i));
      expect(getMores.length).toBe(8); // 30 + 8 × 30 ≥ 250

      getMores.length = 0;
      const defaultBatch = await c.find({ even: true }).toArray();
      expect(defaultBatch).toHaveLength(125);
      expect(getMores.length).toBe(1); // 101 first, the rest in one getMore

      getMores.length = 0;
      const agg = await c.aggregate([{ $match: { i: { $lt: 120 } } }, { $sort: { i: 1 } }], { batchSize: 50 }).toArray();
      expect(agg.map((d) => d.i)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      expect(getMores.length).toBe(2);
    } finally {
      client.off('commandStarted', onStart);
    }

    // Abandoning a cursor early kills it on the server; its id is then unknown.
    const killed: unknown[] = [];
    const onKill = (ev: { commandName: string; reply: unknown }): void => {
      if (ev.commandName === 'killCursors') killed.push(ev.reply);
    };
    client.on('commandSucceeded', onKill);
    try {
      const cursor = c.find({}, { batchSize: 10 });
      expect((await cursor.next())?.i).toBe(0);
      const id = cursor.id;
      expect(id?.isZero()).toBe(false);
      await cursor.close();
      expect(killed).toEqual([expect.objectContaining({ cursorsKilled: [id?.toNumber()] })]);
      await expect(db.command({ getMore: id, collection: 'many' })).rejects.toMatchObject({ code: 43 });
    } finally {
      client.off('commandSucceeded', onKill);
    }
  });

  it('pages a listCollections cursor through getMore on its $cmd namespace', async () => {
    const db = freshDb();
    const names = Array.from({ length: 7 }, (_, i) => `coll${i}`);
    for (const name of names) await db.createCollection(name);
    const getMores: unknown[] = [];
    const onStart = (ev: { commandName: string; databaseName: string; command: unknown }): void => {
      if (ev.commandName === 'getMore' && ev.databaseName === db.databaseName) getMores.push(ev.command);
    };
    client.on('commandStarted', onStart);
    try {
      const listed = await db.listCollections({}, { nameOnly: true, batchSize: 2 }).toArray();
      expect(listed.map((c) => c.name).sort()).toEqual(names);
      expect(getMores.length).toBeGreaterThan(0);
      expect(getMores[0]).toMatchObject({ collection: '$cmd.listCollections' });
    } finally {
      client.off('commandStarted', onStart);
    }
    // As on mongod, a cursor only pages on the namespace it was opened on.
    const opened = await db.command({ listCollections: 1, nameOnly: true, cursor: { batchSize: 2 } });
    await expect(db.command({ getMore: opened.cursor.id, collection: 'coll0' })).rejects.toMatchObject({ code: 13 });
  });

  it('applies unacknowledged (w: 0) writes without replying', async () => {
    const c = freshDb().collection('fire');
    await c.insertOne({ a: 1 }, { writeConcern: { w: 0 } });
    // No reply means no ordering guarantee against a read on another pooled connection: poll.
    await waitFor(async () => (await c.countDocuments({ a: 1 })) === 1);
    await c.updateOne({ a: 1 }, { $set: { b: 2 } }, { writeConcern: { w: 0 } });
    await waitFor(async () => (await c.countDocuments({ b: 2 })) === 1);
    expect(await c.findOne({}, { projection: { _id: 0 } })).toEqual({ a: 1, b: 2 });
  });

  it('applies update operators', async () => {
    interface Counters {
      n?: number;
      gone?: boolean;
      old?: string;
      fresh?: string;
      list?: number[];
      set?: string[];
      lo?: number;
      hi?: number;
      nested?: { x: number; y?: number };
      touchedAt?: Date;
      title?: string;
      flag?: number;
      only?: string;
    }
    const c = freshDb().collection<Counters>('upd');
    const { insertedId } = await c.insertOne({
      n: 1,
      gone: true,
      old: 'renamed',
      list: [1, 2, 3],
      set: ['a'],
      lo: 5,
      hi: 5,
      nested: { x: 1 },
    });
    const res = await c.updateOne(
      { _id: insertedId },
      {
        $inc: { n: 4, 'nested.y': 2 },
        $unset: { gone: '' },
        $rename: { old: 'fresh' },
        $push: { list: { $each: [4, 5, 6] } },
        $addToSet: { set: { $each: ['a', 'b'] } },
        $min: { lo: 2 },
        $max: { hi: 9 },
        $currentDate: { touchedAt: true },
        $set: { 'nested.x': 10, title: 'xin chào' },
      },
    );
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    const doc = await c.findOne({ _id: insertedId });
    expect(doc).toMatchObject({
      n: 5,
      fresh: 'renamed',
      list: [1, 2, 3, 4, 5, 6],
      set: ['a', 'b'],
      lo: 2,
      hi: 9,
      nested: { x: 10, y: 2 },
      title: 'xin chào',
    });
    expect(doc).not.toHaveProperty('gone');
    expect(doc).not.toHaveProperty('old');
    expect(doc?.touchedAt).toBeInstanceOf(Date);
    expect(Math.abs((doc?.touchedAt as Date).getTime() - Date.now())).toBeLessThan(10_000);

    await c.updateOne({ _id: insertedId }, { $pull: { list: { $gte: 5 } } });
    expect((await c.findOne({ _id: insertedId }))?.list).toEqual([1, 2, 3, 4]);

    // Same value again: matched but not modified, as mongod reports it.
    const noop = await c.updateOne({ _id: insertedId }, { $set: { title: 'xin chào' } });
    expect(noop.matchedCount).toBe(1);
    expect(noop.modifiedCount).toBe(0);

    const many = await c.updateMany({}, { $set: { flag: 1 } });
    expect(many.matchedCount).toBe(1);

    const replaced = await c.replaceOne({ _id: insertedId }, { only: 'this' });
    expect(replaced.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, only: 'this' });

    await expect(c.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } })).rejects.toMatchObject({ code: 66 });
    await expect(c.updateOne({ _id: insertedId }, { $frobnicate: { a: 1 } } as never)).rejects.toThrow(/Unknown modifier/);
  });

  it('upserts, deriving fields from the equality filter and honouring $setOnInsert', async () => {
    const c = freshDb().collection('ups');
    const first = await c.updateOne(
      { channel: 'telegram', chatId: '42', kind: { $in: ['a', 'b'] } },
      { $set: { seen: 1 }, $setOnInsert: { createdBy: 'upsert' }, $inc: { hits: 1 } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const inserted = await c.findOne({ _id: first.upsertedId as ObjectId }, { projection: { _id: 0 } });
    expect(inserted).toEqual({ channel: 'telegram', chatId: '42', seen: 1, createdBy: 'upsert', hits: 1 });

    const second = await c.updateOne(
      { channel: 'telegram', chatId: '42' },
      { $set: { seen: 2 }, $setOnInsert: { createdBy: 'should not apply' }, $inc: { hits: 1 } },
      { upsert: true },
    );
    expect(second.upsertedCount).toBe(0);
    expect(second.matchedCount).toBe(1);
    const after = await c.findOne({ chatId: '42' });
    expect(after).toMatchObject({ seen: 2, createdBy: 'upsert', hits: 2 });
    expect(await c.countDocuments()).toBe(1);

    const withId = await c.updateOne({ _id: 'fixed-id' as never }, { $set: { v: 1 } }, { upsert: true });
    expect(withId.upsertedId).toBe('fixed-id');

    const byReplacement = await c.replaceOne({ chatId: '77' }, { chatId: '77', name: 'r' }, { upsert: true });
    expect(byReplacement.upsertedCount).toBe(1);
    expect(await c.countDocuments({ name: 'r' })).toBe(1);
  });

  it('findOneAndUpdate / findOneAndDelete with sort, upsert and returnDocument', async () => {
    const c = freshDb().collection('fam');
    await c.insertMany([
      { q: 'job', p: 2, state: 'ready' },
      { q: 'job', p: 9, state: 'ready' },
      { q: 'job', p: 5, state: 'ready' },
    ]);
    const claimed = await c.findOneAndUpdate({ q: 'job', state: 'ready' }, { $set: { state: 'taken' } }, { sort: { p: -1 }, returnDocument: 'after' });
    expect(claimed).toMatchObject({ q: 'job', p: 9, state: 'taken' });
    const before = await c.findOneAndUpdate({ p: 2 }, { $set: { state: 'x' } }, { returnDocument: 'before' });
    expect(before?.state).toBe('ready');
    expect(await c.findOneAndUpdate({ p: 100 }, { $set: { a: 1 } })).toBeNull();

    const meta = await c.findOneAndUpdate(
      { q: 'lease', key: 'k1' },
      { $setOnInsert: { owner: 'me' } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(meta.value).toMatchObject({ q: 'lease', key: 'k1', owner: 'me' });
    expect(meta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(meta.lastErrorObject?.upserted).toBeInstanceOf(ObjectId);

    const removed = await c.findOneAndDelete({ q: 'job' }, { sort: { p: 1 } });
    expect(removed?.p).toBe(2);
    expect(await c.countDocuments({ q: 'job' })).toBe(2);
  });

  it('compares ObjectId, Date, Binary, Long and Decimal128 values like mongod', async () => {
    const c = freshDb().collection('types');
    const ids = [new ObjectId(), new ObjectId(), new ObjectId()] as const;
    const day = (d: number): Date => new Date(Date.UTC(2024, 0, d));
    await c.insertMany([
      { _id: ids[0], at: day(1), blob: new Binary(Buffer.from([0xff, 0x01])), big: Long.fromString('9007199254740993'), price: Decimal128.fromString('10.5'), ref: ids[2] },
      { _id: ids[1], at: day(15), blob: new Binary(Buffer.from([0xfe, 0x01])), big: 5, price: Decimal128.fromString('9.75'), ref: ids[0] },
      { _id: ids[2], at: day(31), blob: Buffer.from('hello'), price: Decimal128.fromString('10.50') },
    ]);

    expect((await c.findOne({ _id: ids[1] }))?._id).toEqual(ids[1]);
    expect(await c.countDocuments({ _id: { $in: [ids[0], ids[2], new ObjectId()] } })).toBe(2);
    expect(await c.countDocuments({ ref: ids[0] })).toBe(1);
    expect(await c.countDocuments({ _id: { $gt: ids[0] } })).toBe(2);
    const sortedIds = (await c.find().sort({ _id: -1 }).toArray()).map((d) => d._id.toHexString());
    expect(sortedIds).toEqual(ids.map((i) => i.toHexString()).reverse());

    const range = await c.find({ at: { $gte: day(10), $lt: day(31) } }).toArray();
    expect(range.map((d) => d._id)).toEqual([ids[1]]);
    const newest = await c.find().sort({ at: -1 }).limit(1).toArray();
    expect(newest[0]?.at).toEqual(day(31));

    // Bytes that decode to the same (invalid) UTF-8 text must still differ.
    const blob = await c.find({ blob: new Binary(Buffer.from([0xfe, 0x01])) }).toArray();
    expect(blob.map((d) => d._id)).toEqual([ids[1]]);
    const hello = await c.findOne({ blob: Buffer.from('hello') });
    expect(hello?._id).toEqual(ids[2]);
    expect(hello?.blob).toBeInstanceOf(Binary);
    expect(Buffer.from((hello?.blob as Binary).buffer).toString()).toBe('hello');

    const longDoc = await c.findOne({ _id: ids[0] });
    expect(longDoc?.big).toEqual(Long.fromString('9007199254740993'));
    expect(await c.countDocuments({ big: 5 })).toBe(1);

    // Decimal128: numeric order and 10.5 == 10.50.
    expect(await c.countDocuments({ price: Decimal128.fromString('10.5') })).toBe(2);
    expect(await c.countDocuments({ price: { $lt: Decimal128.fromString('10') } })).toBe(1);
    const byPrice = await c.find({}, { projection: { price: 1 } }).sort({ price: 1, _id: 1 }).toArray();
    expect(byPrice.map((d) => d._id)).toEqual([ids[1], ids[0], ids[2]]);
    expect((byPrice[0]?.price as Decimal128).toString()).toBe('9.75');

    // $type knows BSON types, not just JavaScript ones.
    expect(await c.countDocuments({ _id: { $type: 'objectId' } })).toBe(3);
    expect(await c.countDocuments({ blob: { $type: 'binData' } })).toBe(3);
    expect(await c.countDocuments({ price: { $type: 'decimal' } })).toBe(3);
    expect(await c.countDocuments({ big: { $type: 'long' } })).toBe(1);
    expect(await c.countDocuments({ big: { $type: 'number' } })).toBe(2);
    expect(await c.countDocuments({ at: { $type: 9 } })).toBe(3);
    expect(await c.countDocuments({ ref: { $not: { $type: 'objectId' } } })).toBe(1);
    expect(
      await c.aggregate([{ $match: { $or: [{ big: { $type: 'int' } }, { big: { $type: 'long' } }] } }, { $count: 'n' }]).toArray(),
    ).toEqual([{ n: 2 }]);
  });

  it('aggregates with $match, $group, $sort, $count, $unwind, $addFields and $project', async () => {
    const c = freshDb().collection('payments');
    await c.insertMany([
      { province: 'HN', amount: 100, method: 'bank', tags: ['x', 'y'], meta: { v: 1 } },
      { province: 'HN', amount: 250, method: 'cash', tags: ['x'], meta: { v: 2 } },
      { province: 'HCM', amount: 400, method: 'bank', tags: [], meta: { v: 3 } },
      { province: 'DN', amount: 50, method: 'bank', tags: ['y'], meta: { v: 4 } },
    ]);
    const byProvince = await c
      .aggregate([
        { $match: { method: 'bank' } },
        { $group: { _id: '$province', total: { $sum: '$amount' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(byProvince).toEqual([
      { _id: 'HCM', total: 400, n: 1 },
      { _id: 'HN', total: 100, n: 1 },
      { _id: 'DN', total: 50, n: 1 },
    ]);

    expect(await c.aggregate([{ $match: { amount: { $gt: 90 } } }, { $count: 'big' }]).toArray()).toEqual([{ big: 3 }]);

    const tagCounts = await c
      .aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(tagCounts).toEqual([
      { _id: 'x', n: 2 },
      { _id: 'y', n: 2 },
    ]);

    const shaped = await c
      .aggregate([
        { $match: { province: 'HN' } },
        { $addFields: { 'meta.doubled': { $multiply: ['$amount', 2] } } },
        { $project: { _id: 0, amount: 1, meta: 1 } },
        { $sort: { amount: 1 } },
      ])
      .toArray();
    expect(shaped).toEqual([
      { amount: 100, meta: { v: 1, doubled: 200 } },
      { amount: 250, meta: { v: 2, doubled: 500 } },
    ]);
    // The pipeline worked on copies: stored documents are unchanged.
    expect(await c.countDocuments({ 'meta.doubled': { $exists: true } })).toBe(0);

  });

  it('refuses the $push modifiers FerretDB silently ignores ($slice, $sort, $position)', async () => {
    // FerretDB 1.24.2 answers ok and appends $each unsliced and unsorted; the embedded server is stricter on purpose.
    const c = freshDb().collection('push');
    await c.insertOne({ _id: 1, list: [1] } as never);
    for (const modifier of [{ $slice: -1 }, { $sort: 1 }, { $position: 0 }]) {
      await expect(c.updateOne({ _id: 1 } as never, { $push: { list: { $each: [2], ...modifier } } } as never)).rejects.toMatchObject({
        code: 238,
        message: expect.stringMatching(/^\$push with \$(slice|sort|position): FerretDB 1\.24\.2 ignores it/),
      });
    }
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, list: [1] });
  });

  it('counts, lists distinct values and deletes', async () => {
    const c = freshDb().collection('misc');
    await c.insertMany([
      { kind: 'a', tags: ['t1', 't2'] },
      { kind: 'b', tags: ['t2'] },
      { kind: 'a', tags: [] },
      { kind: 'c' },
    ]);
    expect(await c.countDocuments()).toBe(4);
    expect(await c.countDocuments({ kind: 'a' })).toBe(2);
    expect(await c.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(4);
    expect((await c.distinct('kind')).sort()).toEqual(['a', 'b', 'c']);
    expect((await c.distinct('tags')).sort()).toEqual(['t1', 't2']);
    expect(await c.distinct('kind', { tags: 't2' })).toHaveLength(2);

    expect((await c.deleteOne({ kind: 'a' })).deletedCount).toBe(1);
    expect((await c.deleteMany({ kind: { $in: ['a', 'b'] } })).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(1);
    expect((await c.deleteMany({})).deletedCount).toBe(1);
    expect(await c.countDocuments()).toBe(0);
  });

  it('reports ordered and unordered insert errors per document', async () => {
    const c = freshDb().collection('bulk');
    await c.insertOne({ _id: 1 as never });
    const ordered = await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }] as never[]).catch((e: unknown) => e);
    expect(ordered).toMatchObject({ code: 11000 });
    expect(await c.countDocuments()).toBe(2); // stopped at the duplicate

    const unordered = await c
      .insertMany([{ _id: 4 }, { _id: 1 }, { _id: 5 }, { _id: 2 }] as never[], { ordered: false })
      .catch((e: unknown) => e as { writeErrors: { index: number; code: number }[] });
    expect(unordered).toHaveProperty('writeErrors');
    const errs = (unordered as { writeErrors: { index: number; code: number }[] }).writeErrors;
    expect(errs.map((e) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(await c.countDocuments()).toBe(4);
  });
});

describe('indexes', () => {
  it('enforces unique and compound unique indexes on insert, update, upsert and findAndModify', async () => {
    const c = freshDb().collection('chat_users');
    await c.createIndex({ channel: 1, chatId: 1 }, { unique: true });
    await c.insertMany([
      { channel: 'telegram', chatId: '1' },
      { channel: 'zalo', chatId: '1' },
    ]);

    const dup = await c.insertOne({ channel: 'telegram', chatId: '1' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(MongoServerError);
    expect(dup).toMatchObject({
      code: 11000,
      keyPattern: { channel: 1, chatId: 1 },
      keyValue: { channel: 'telegram', chatId: '1' },
    });
    expect((dup as Error).message).toMatch(
      /^E11000 duplicate key error collection: t_\w+\.chat_users index: channel_1_chatId_1 dup key: \{ channel: "telegram", chatId: "1" \}$/,
    );

    await expect(c.updateOne({ channel: 'zalo' }, { $set: { channel: 'telegram' } })).rejects.toMatchObject({ code: 11000 });
    await expect(
      c.findOneAndUpdate({ channel: 'zalo' }, { $set: { channel: 'telegram' } }),
    ).rejects.toMatchObject({ code: 11000, keyValue: { channel: 'telegram', chatId: '1' } });
    await expect(
      c.updateOne({ channel: 'telegram', chatId: '1', extra: 'nope' }, { $set: { x: 1 } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 11000 });
    // Failed writes changed nothing.
    expect(await c.countDocuments({ channel: 'zalo' })).toBe(1);
    expect(await c.countDocuments()).toBe(2);

    // A document's own key is not a conflict, and freed keys can be reused.
    await c.updateOne({ channel: 'telegram', chatId: '1' }, { $set: { chatId: '1', seen: true } });
    await c.updateOne({ channel: 'telegram', chatId: '1' }, { $set: { chatId: '2' } });
    await c.insertOne({ channel: 'telegram', chatId: '1' });
    expect(await c.countDocuments()).toBe(3);

    // _id is unique without any declared index.
    const id = new ObjectId();
    await c.insertOne({ _id: id, channel: 'x', chatId: 'y' });
    await expect(c.insertOne({ _id: id, channel: 'x', chatId: 'z' })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { _id: 1 },
    });
  });

  it('honours sparse unique indexes and refuses to build over duplicates', async () => {
    const c = freshDb().collection('sparse');
    await c.createIndex({ email: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ name: 'a' }, { name: 'b' }]); // both lack email: fine when sparse
    await c.insertOne({ email: 'x@y.z' });
    await expect(c.insertOne({ email: 'x@y.z' })).rejects.toMatchObject({ code: 11000 });

    const d = freshDb().collection('dups');
    await d.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(d.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await d.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('creates, lists and drops indexes and collections', async () => {
    const db = freshDb();
    const c = db.collection('ix');
    expect(await c.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    expect(await c.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1'); // idempotent
    await c.createIndex({ at: 1 }, { unique: true, name: 'by_at' });
    const listed = await c.indexes();
    expect(listed.map((i) => i.name)).toEqual(['_id_', 'a_1_b_-1', 'by_at']);
    expect(listed[2]).toMatchObject({ key: { at: 1 }, unique: true });
    await expect(c.createIndex({ a: 1, b: -1 }, { name: 'a_1_b_-1', unique: true })).rejects.toMatchObject({ code: 85 });

    await c.dropIndex('by_at');
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'a_1_b_-1']);
    await expect(c.dropIndex('nope')).rejects.toMatchObject({ code: 27 });

    await db.createCollection('other');
    await expect(db.createCollection('other')).rejects.toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((x) => x.name).sort();
    expect(names).toEqual(['ix', 'other']);
    expect((await db.listCollections({ name: 'other' }).toArray()).map((x) => x.name)).toEqual(['other']);
    expect(await db.collection('other').drop()).toBe(true);
    expect((await db.listCollections().toArray()).map((x) => x.name)).toEqual(['ix']);
    await expect(db.collection('missing').indexes()).rejects.toMatchObject({ codeName: 'NamespaceNotFound' });

    const dbs = await client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(db.databaseName);
    await db.dropDatabase();
    const after = await client.db('admin').admin().listDatabases();
    expect(after.databases.map((d) => d.name)).not.toContain(db.databaseName);
  });

  it('bulk-imports 100 000 rows and answers unique-key lookups from the hash index', async () => {
    const c = freshDb().collection('big');
    await c.createIndex({ channel: 1, chatId: 1 }, { unique: true });
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ channel: i % 2 ? 'telegram' : 'zalo', chatId: String(i), n: i }));
    await c.insertMany(rows);
    expect(await c.countDocuments()).toBe(100_000);

    // Correctness of hash-index answers (their speed is measured in bench/, never asserted here).
    for (let i = 0; i < 200; i++) {
      const chatId = String((i * 331) % 100_000);
      const channel = Number(chatId) % 2 ? 'telegram' : 'zalo';
      const doc = await c.findOneAndUpdate({ channel, chatId }, { $inc: { n: 1 } }, { returnDocument: 'after' });
      expect(doc?.n).toBe(Number(chatId) + 1);
    }
    // The same shape on a field without an index answers from a full scan, equally right.
    for (let i = 0; i < 10; i++) expect(await c.findOneAndUpdate({ n: 50_000 + i * 7 + 0.5 }, { $inc: { n: 1 } })).toBeNull();
  });
});

describe('concurrency', () => {
  it('lets exactly one of many concurrent conditional updates win', async () => {
    const db = freshDb();
    const other = new MongoClient(server.uri, { maxPoolSize: 20 });
    await other.connect();
    try {
      const c = db.collection('leases');
      const c2 = other.db(db.databaseName).collection('leases');
      const { insertedId } = await c.insertOne({ version: 3, owner: null });
      const attempts = Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? c : c2).findOneAndUpdate(
          { _id: insertedId, version: 3 },
          { $inc: { version: 1 }, $set: { owner: `w${i}` } },
          { returnDocument: 'after' },
        ),
      );
      const results = await Promise.all(attempts);
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.version).toBe(4);
      expect(await c.findOne({ _id: insertedId })).toMatchObject({ version: 4, owner: winners[0]?.owner });

      // Optimistic-concurrency counters: retries until success; no increment may be lost.
      const counter = await c.insertOne({ version: 0 });
      const workers = 10;
      const perWorker = 15;
      let conflicts = 0;
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          const coll = w % 2 ? c : c2;
          for (let done = 0; done < perWorker; ) {
            const cur = await coll.findOne({ _id: counter.insertedId });
            const ok = await coll.findOneAndUpdate(
              { _id: counter.insertedId, version: cur?.version },
              { $inc: { version: 1 } },
            );
            if (ok) done++;
            else conflicts++;
          }
        }),
      );
      expect((await c.findOne({ _id: counter.insertedId }))?.version).toBe(workers * perWorker);
      expect(conflicts).toBeGreaterThan(0); // the race really happened
    } finally {
      await other.close();
    }
  });
});

describe('mongoose 9', () => {
  it('maps E11000 to a duplicate key error, enforces compound uniqueness, and round-trips types', async () => {
    const conn = mongoose.createConnection(`${server.uri}/${dbName()}`, { autoIndex: true });
    await conn.asPromise();
    try {
      const schema = new mongoose.Schema(
        {
          channel: { type: String, required: true },
          chatId: { type: String, required: true },
          email: { type: String, unique: true, sparse: true },
          seenAt: { type: Date, default: () => new Date() },
          avatar: Buffer,
          owner: mongoose.Schema.Types.ObjectId,
          version: { type: Number, default: 0 },
        },
        { timestamps: true },
      );
      schema.index({ channel: 1, chatId: 1 }, { unique: true });
      const User = conn.model('User', schema);
      await User.init(); // createCollection + createIndexes

      const owner = new mongoose.Types.ObjectId();
      const created = await User.create({ channel: 'telegram', chatId: '7', email: 'a@b.c', avatar: Buffer.from([1, 2, 3]), owner });
      expect(created._id).toBeInstanceOf(mongoose.Types.ObjectId);

      const dup = await User.create({ channel: 'telegram', chatId: '7' }).catch((e: unknown) => e);
      expect(dup).toMatchObject({ code: 11000, keyValue: { channel: 'telegram', chatId: '7' } });
      expect((dup as Error).name).toBe('MongoServerError');
      const dupEmail = await User.create({ channel: 'zalo', chatId: '7', email: 'a@b.c' }).catch((e: unknown) => e);
      expect(dupEmail).toMatchObject({ code: 11000, keyPattern: { email: 1 } });
      await User.create({ channel: 'zalo', chatId: '7' }); // other channel: fine

      const found = await User.findOne({ owner });
      expect(found?.chatId).toBe('7');
      expect(found?.avatar?.equals(Buffer.from([1, 2, 3]))).toBe(true);
      const lean = await User.findOne({ owner }).lean();
      expect(lean?.avatar).toBeInstanceOf(Binary);
      const byBuffer = await User.countDocuments({ avatar: Buffer.from([1, 2, 3]) });
      expect(byBuffer).toBe(1);
      expect(await User.countDocuments({ seenAt: { $lte: new Date(Date.now() + 1000) } })).toBe(2);

      const upserted = await User.findOneAndUpdate(
        { channel: 'telegram', chatId: '8' },
        { $set: { email: 'u@b.c' } },
        { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
      );
      expect(upserted?.version).toBe(0);
      expect(upserted?.createdAt).toBeInstanceOf(Date);

      const bumped = await User.findOneAndUpdate({ _id: upserted?._id, version: 0 }, { $inc: { version: 1 } }, { returnDocument: 'after' });
      expect(bumped?.version).toBe(1);
      const stale = await User.findOneAndUpdate({ _id: upserted?._id, version: 0 }, { $inc: { version: 1 } }, { returnDocument: 'after' });
      expect(stale).toBeNull();

      const indexes = await User.listIndexes();
      expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'channel_1_chatId_1', 'email_1']);
      expect(await User.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });

      const stats = await User.aggregate<{ _id: string; n: number }>([
        { $group: { _id: '$channel', n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ]);
      expect(stats).toEqual([
        { _id: 'telegram', n: 2 },
        { _id: 'zalo', n: 1 },
      ]);
      expect((await User.deleteMany({ channel: 'telegram' })).deletedCount).toBe(2);
      expect(await User.estimatedDocumentCount()).toBe(1);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });
});

describe('protocol edges', () => {
  it('answers unknown commands with CommandNotFound', async () => {
    const db = freshDb();
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    // Own properties only: names of Object.prototype members are not commands either.
    await expect(db.command({ constructor: 1 })).rejects.toMatchObject({ code: 59 });
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(await db.admin().buildInfo()).toMatchObject({ version: '7.0.0' });
  });

  it('speaks legacy OP_QUERY for the handshake and verifies OP_MSG checksums', async () => {
    const s = await openSocket(server.port);
    try {
      const hello = await roundTrip(s, opQuery('admin.$cmd', { isMaster: 1 }));
      expect(hello.opCode).toBe(1);
      expect(hello.doc).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });

      const refused = await roundTrip(s, opQuery('admin.$cmd', { find: 'x' }));
      expect(refused.doc).toMatchObject({ ok: 0, code: 352 });

      const withChecksum = await roundTrip(s, opMsg({ ping: 1, $db: 'admin' }, true));
      expect(withChecksum.opCode).toBe(2013);
      expect(withChecksum.doc).toEqual({ ok: 1 });
    } finally {
      s.destroy();
    }

    const bad = await openSocket(server.port);
    const msg = opMsg({ ping: 1, $db: 'admin' }, true);
    msg.writeUInt32LE((msg.readUInt32LE(msg.length - 4) + 1) >>> 0, msg.length - 4);
    bad.write(msg);
    await expect(closed(bad)).resolves.toBe(true);
  });

  it('closes only the connection that sent garbage', async () => {
    const s = await openSocket(server.port);
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + 7, 0);
    header.writeInt32LE(1, 4);
    header.writeInt32LE(2013, 12);
    s.write(Buffer.concat([header, Buffer.from([0, 0, 0, 0, 0, 1, 2])]));
    await expect(closed(s)).resolves.toBe(true);

    const lying = await openSocket(server.port);
    lying.write(Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    await expect(closed(lying)).resolves.toBe(true);

    expect(await freshDb().command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});

/**
 * What FerretDB 1.24.2 refuses, the embedded server refuses with the same code
 * and, mostly, the same message. Every case runs on the embedded server and,
 * when this run's database is FerretDB (CI, DEV_DB=ferretdb), on FerretDB as
 * well: that second run is what keeps these expectations honest.
 */
const refusalTargets: [string, () => string][] = [['the embedded server', () => server.uri]];
if (inject('mongoKind') === 'ferretdb') refusalTargets.push(['FerretDB', () => inject('mongoUri')]);

const notImplemented = (message: string | RegExp): object => ({
  code: 238,
  codeName: 'NotImplemented',
  message: typeof message === 'string' ? message : expect.stringMatching(message),
});

describe.each(refusalTargets)('refused as by FerretDB 1.24.2, on %s', (_label, uriOf) => {
  let target: MongoClient;
  let db: Db;

  beforeAll(async () => {
    target = new MongoClient(uriOf(), { serverSelectionTimeoutMS: 10_000 });
    await target.connect();
  });
  beforeEach(() => {
    db = target.db(dbName());
  });
  afterEach(async () => {
    await db.dropDatabase();
  });
  afterAll(async () => {
    await target?.close();
  });

  /** A mongoose connection to this case's database on the same server. */
  async function withMongoose(run: (conn: mongoose.Connection) => Promise<void>): Promise<void> {
    const conn = mongoose.createConnection(`${uriOf()}/${db.databaseName}`, { autoIndex: false, autoCreate: false });
    await conn.asPromise();
    try {
      await run(conn);
    } finally {
      await conn.close();
    }
  }

  it('findAndModify with a projection (`fields`), whatever its value; nothing is changed', async () => {
    const c = db.collection('claims');
    await c.insertOne({ _id: 1, state: 'ready' } as never);
    const refusal = notImplemented(/^findAndModify: support for field "fields" with value .+ is not implemented yet$/);
    await expect(c.findOneAndUpdate({ _id: 1 } as never, { $set: { state: 'taken' } }, { projection: { state: 1 } })).rejects.toMatchObject(refusal);
    await expect(c.findOneAndDelete({ _id: 1 } as never, { projection: { _id: 1 } })).rejects.toMatchObject(refusal);
    await expect(db.command({ findAndModify: 'claims', query: { _id: 1 }, update: { $set: { state: 'x' } }, fields: {} })).rejects.toMatchObject(refusal);
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, state: 'ready' });

    await withMongoose(async (conn) => {
      // mongoose sends `fields` for an explicit projection and for any `select: false` path.
      const Lease = conn.model('Lease', new mongoose.Schema({ key: String, owner: String, secret: { type: String, select: false } }));
      const Plain = conn.model('Plain', new mongoose.Schema({ key: String, owner: String }));
      await Lease.create({ key: 'k', secret: 's' });
      await Plain.create({ key: 'k' });
      await expect(Plain.findOneAndUpdate({ key: 'k' }, { owner: 'a' }, { projection: { owner: 1 } })).rejects.toMatchObject(refusal);
      await expect(Lease.findOneAndUpdate({ key: 'k' }, { owner: 'a' })).rejects.toMatchObject(refusal);
      expect(await Plain.findOneAndUpdate({ key: 'k' }, { owner: 'a' }, { returnDocument: 'after' }).lean()).toMatchObject({ owner: 'a' });
    });
  });

  it('partial indexes (partialFilterExpression), building none', async () => {
    const c = db.collection('phones');
    await c.insertOne({ phone: '1', active: true });
    await expect(c.createIndex({ phone: 1 }, { unique: true, partialFilterExpression: { active: true } })).rejects.toMatchObject(
      notImplemented('Index option "partialFilterExpression" is not implemented yet'),
    );
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('TTL indexes (expireAfterSeconds), from the driver and from mongoose `expires`; a batch holding one builds nothing', async () => {
    const refusal = notImplemented('Index option "expireAfterSeconds" is not implemented yet');
    const c = db.collection('sessions');
    await c.insertOne({ expiresAt: new Date() });
    await expect(c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 })).rejects.toMatchObject(refusal);
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
    await expect(
      db.command({ createIndexes: 'fresh', indexes: [{ key: { k: 1 }, name: 'k_1' }, { key: { at: 1 }, name: 'at_1', expireAfterSeconds: 5 }] }),
    ).rejects.toMatchObject(refusal);
    expect(await db.listCollections({ name: 'fresh' }).toArray()).toEqual([]);

    await withMongoose(async (conn) => {
      const Otp = conn.model('Otp', new mongoose.Schema({ code: String, createdAt: { type: Date, expires: 300 } }));
      await expect(Otp.createIndexes()).rejects.toMatchObject(refusal);
    });
  });

  it('text, hashed and 2dsphere keys, key values other than 1/-1, and other index options; sparse is accepted', async () => {
    const c = db.collection('ix');
    for (const kind of ['text', 'hashed', '2dsphere']) {
      await expect(c.createIndex({ body: kind } as never)).rejects.toMatchObject({ code: 27, message: `can't find index with key: { body: "${kind}" }` });
    }
    await expect(c.createIndex({ body: 2 } as never)).rejects.toMatchObject(notImplemented(/^Index key value .+ is not implemented yet$/));
    await expect(c.createIndex({ body: 1 }, { hidden: true })).rejects.toMatchObject(notImplemented('Index option "hidden" is not implemented yet'));
    await expect(c.createIndex({ body: 1 }, { collation: { locale: 'vi' } })).rejects.toMatchObject(
      notImplemented('Index option "collation" is not implemented yet'),
    );
    await expect(db.command({ createIndexes: 'ix', indexes: [{ key: { body: 1 }, name: 'b', frob: 1 }] })).rejects.toMatchObject({
      code: 2,
      message: 'Index option "frob" is unknown',
    });
    expect(await c.createIndex({ email: 1 }, { unique: true, sparse: true })).toBe('email_1');
    // FerretDB evaluates a filter per document, so an empty collection would hide the refusal.
    await c.insertOne({ body: 'lương hưu' });
    await expect(c.find({ $text: { $search: 'lương hưu' } }).toArray()).rejects.toMatchObject({ code: 2, message: expect.stringMatching(/^unknown top level operator: \$text/) });
  });

  it('$lookup and every other aggregation stage FerretDB has not implemented', async () => {
    const c = db.collection('payments');
    await c.insertOne({ n: 1 });
    const lookup = { $lookup: { from: 'people', localField: 'n', foreignField: 'n', as: 'who' } };
    await expect(c.aggregate([{ $match: {} }, lookup]).toArray()).rejects.toMatchObject(notImplemented('`aggregate` stage "$lookup" is not implemented yet'));
    await expect(c.aggregate([{ $lookup: { from: 'people', pipeline: [], as: 'who' } }]).toArray()).rejects.toMatchObject(
      notImplemented('`aggregate` stage "$lookup" is not implemented yet'),
    );
    const unimplemented = [
      '$bucket', '$bucketAuto', '$changeStream', '$currentOp', '$densify', '$documents', '$facet', '$fill', '$geoNear',
      '$graphLookup', '$indexStats', '$listLocalSessions', '$listSessions', '$merge', '$out', '$planCacheStats',
      '$redact', '$replaceRoot', '$replaceWith', '$sample', '$search', '$searchMeta', '$setWindowFields',
      '$sharedDataDistribution', '$sortByCount', '$unionWith',
    ];
    for (const stage of unimplemented) {
      await expect(c.aggregate([{ [stage]: {} }]).toArray()).rejects.toMatchObject(notImplemented(`\`aggregate\` stage "${stage}" is not implemented yet`));
    }
    await expect(c.aggregate([{ $frobnicate: {} }]).toArray()).rejects.toMatchObject({ code: 40234, message: 'Unrecognized pipeline stage name: "$frobnicate"' });
    await expect(c.aggregate([{ $match: {}, $limit: 1 }]).toArray()).rejects.toMatchObject({ code: 40323 });
    // No collection-less pipelines, and no explain.
    await expect(db.aggregate([{ $match: {} }]).toArray()).rejects.toMatchObject({ code: 9, codeName: 'FailedToParse' });
    await expect(db.command({ aggregate: 'payments', pipeline: [], explain: true })).rejects.toMatchObject(
      notImplemented('aggregate: support for field "explain" with value true is not implemented yet'),
    );
    // Pipeline updates: a type error for update, NotImplemented for findAndModify.
    await expect(c.updateOne({ n: 1 }, [{ $set: { n: 2 } }])).rejects.toMatchObject({ code: 14, codeName: 'TypeMismatch' });
    await expect(c.findOneAndUpdate({ n: 1 }, [{ $set: { n: 2 } }])).rejects.toMatchObject(notImplemented('Aggregation pipelines are not supported yet'));
    expect(await c.countDocuments({ n: 1 })).toBe(1);
  });

  it('multi-document transactions: writes refuse the fields, find and later updates run outside any transaction, commit does not exist', async () => {
    const c = db.collection('tx');
    await c.insertOne({ _id: 1, n: 0 } as never);

    // The driver sends autocommit before startTransaction.
    const first = target.startSession();
    try {
      first.startTransaction();
      await expect(c.insertOne({ _id: 2 } as never, { session: first })).rejects.toMatchObject({
        code: 9,
        codeName: 'FailedToParse',
        message: 'insert: unknown field "autocommit"',
      });
      await first.abortTransaction();
    } finally {
      await first.endSession();
    }

    // A transaction that opens with a read is accepted, and its update applied at once: abort undoes nothing.
    const reader = target.startSession();
    try {
      reader.startTransaction();
      expect(await c.findOne({ _id: 1 } as never, { session: reader })).toEqual({ _id: 1, n: 0 });
      await c.updateOne({ _id: 1 } as never, { $inc: { n: 1 } }, { session: reader });
      await reader.abortTransaction(); // the driver ignores the CommandNotFound
    } finally {
      await reader.endSession();
    }
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, n: 1 });

    const committer = target.startSession();
    try {
      committer.startTransaction();
      await c.findOne({}, { session: committer });
      await expect(committer.commitTransaction()).rejects.toMatchObject({ code: 59, message: "no such command: 'commitTransaction'" });
    } finally {
      await committer.endSession();
    }

    // Each command as its parser declares the fields: startTransaction opens a transaction, autocommit alone continues one.
    const opening = (n: number): Document => ({ lsid: { id: new UUID() }, txnNumber: Long.fromNumber(n), startTransaction: true, autocommit: false });
    const continuing = (n: number): Document => ({ lsid: { id: new UUID() }, txnNumber: Long.fromNumber(n), autocommit: false });
    const cases: [Document, string, string | undefined][] = [
      [{ insert: 'tx', documents: [{ _id: 3 }] }, 'insert: unknown field "startTransaction"', 'insert: unknown field "autocommit"'],
      [{ delete: 'tx', deletes: [{ q: { _id: 1 }, limit: 1 }] }, 'delete: unknown field "startTransaction"', 'delete: unknown field "autocommit"'],
      [{ findAndModify: 'tx', query: { _id: 1 }, remove: true }, 'findAndModify: unknown field "startTransaction"', 'findAndModify: unknown field "autocommit"'],
      [{ count: 'tx' }, 'count: unknown field "txnNumber"', 'count: unknown field "txnNumber"'],
      [{ distinct: 'tx', key: 'n' }, 'distinct: unknown field "txnNumber"', 'distinct: unknown field "txnNumber"'],
      [{ update: 'tx', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }] }, 'update: unknown field "startTransaction"', undefined],
    ];
    let txnNumber = 10;
    for (const [command, whenOpening, whenContinuing] of cases) {
      await expect(db.command({ ...command, ...opening(txnNumber++) })).rejects.toMatchObject({ code: 9, codeName: 'FailedToParse', message: whenOpening });
      const continued = db.command({ ...command, ...continuing(txnNumber++) });
      if (whenContinuing) await expect(continued).rejects.toMatchObject({ code: 9, message: whenContinuing });
      else await expect(continued).resolves.toMatchObject({ ok: 1 });
    }
    expect(await c.find().toArray()).toEqual([{ _id: 1, n: 2 }]); // only the continuing update ran

    for (const name of ['commitTransaction', 'abortTransaction', 'endSessions']) {
      await expect(target.db('admin').command({ [name]: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound', message: `no such command: '${name}'` });
    }

    await withMongoose(async (conn) => {
      const Claim = conn.model('Claim', new mongoose.Schema({ key: String }));
      await expect(conn.transaction(async (session) => void (await Claim.create([{ key: 'k' }], { session })))).rejects.toMatchObject({ code: 9 });
      expect(await Claim.countDocuments()).toBe(0);
    });
  });
});

describe('dev persistence', () => {
  it('reloads data, types and unique indexes from the dataFile after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'embedded-mongo-'));
    const dataFile = join(dir, 'embedded.ejson');
    try {
      const id = new ObjectId();
      const at = new Date('2024-05-06T07:08:09.010Z');
      const first = await startEmbeddedMongo({ port: 0, dataFile });
      const c1 = new MongoClient(first.uri);
      try {
        const coll = c1.db('dev').collection('users');
        await coll.createIndex({ email: 1 }, { unique: true });
        await coll.insertOne({
          _id: id,
          email: 'a@b.c',
          at,
          bin: new UUID('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0').toBinary(),
          raw: new Binary(Buffer.from([9, 8, 7]), 0x80),
          big: Long.fromString('9007199254740993'),
          dec: Decimal128.fromString('1.10'),
          n: 1.5,
        });
        // The debounced save lands without stop().
        await waitFor(async () => (await readFile(dataFile, 'utf8').catch(() => '')).includes('a@b.c'));
        await coll.insertOne({ email: 'late@b.c' });
      } finally {
        await c1.close();
        await first.stop();
      }

      const second = await startEmbeddedMongo({ port: 0, dataFile });
      const c2 = new MongoClient(second.uri);
      try {
        const coll = c2.db('dev').collection('users');
        const doc = await coll.findOne({ _id: id });
        expect(doc?.at).toEqual(at);
        expect(doc?.bin).toBeInstanceOf(Binary);
        expect((doc?.bin as Binary).sub_type).toBe(4);
        expect((doc?.bin as Binary).toString('hex')).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
        expect((doc?.raw as Binary).sub_type).toBe(0x80);
        expect((doc?.raw as Binary).toString('hex')).toBe('090807');
        expect(doc?.big).toEqual(Long.fromString('9007199254740993'));
        expect((doc?.dec as Decimal128).toString()).toBe('1.10');
        expect(doc?.n).toBe(1.5);
        expect(await coll.countDocuments({ email: 'late@b.c' })).toBe(1); // saved on stop
        await expect(coll.insertOne({ email: 'a@b.c' })).rejects.toMatchObject({ code: 11000 });
      } finally {
        await c2.close();
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveDevDatabase', () => {
  const VARS = ['DEV_DB', 'MONGODB_URI', 'MONGOMS_SYSTEM_BINARY', 'FERRETDB_BIN'] as const;
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  const restore = (): void => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-db-'));
    for (const k of VARS) delete process.env[k];
  });
  afterEach(async () => {
    restore();
    await rm(dir, { recursive: true, force: true });
  });

  it('uses MONGODB_URI first and prints it with the credentials redacted', async () => {
    const lines: string[] = [];
    process.env.MONGODB_URI = 'mongodb://user:secret@db.example:27017/app';
    const env = await resolveDevDatabase({ dataDir: dir, log: (l) => lines.push(l) });
    expect(env).toMatchObject({
      kind: 'env',
      uri: 'mongodb://user:secret@db.example:27017/app',
      label: 'MONGODB_URI (mongodb://***@db.example:27017/app)',
    });
    expect(lines).toEqual(['database: MONGODB_URI (mongodb://***@db.example:27017/app)']);
    await env.stop(); // nothing of ours to stop
  });

  it('validates DEV_DB, and a forced kind that cannot start fails instead of falling back', async () => {
    process.env.DEV_DB = 'postgres';
    await expect(resolveDevDatabase({ dataDir: dir })).rejects.toThrow(
      'DEV_DB must be one of env, ferretdb, memory-server, embedded (got "postgres")',
    );
    process.env.DEV_DB = 'env';
    await expect(resolveDevDatabase({ dataDir: dir })).rejects.toThrow('DEV_DB=env but MONGODB_URI is not set');
    // Never a download: without a local mongod there is no memory-server.
    process.env.DEV_DB = 'memory-server';
    await expect(resolveDevDatabase({ dataDir: dir })).rejects.toThrow(/needs MONGOMS_SYSTEM_BINARY .* downloads are disabled/);
    process.env.DEV_DB = 'ferretdb';
    process.env.FERRETDB_BIN = join(dir, 'no-such-ferretdb');
    await expect(resolveDevDatabase({ dataDir: dir })).rejects.toThrow(`FERRETDB_BIN=${join(dir, 'no-such-ferretdb')} is not an executable file`);
  });

  it('falls back from an unusable FerretDB to the embedded server, saying why', async () => {
    process.env.FERRETDB_BIN = join(dir, 'no-such-ferretdb');
    const lines: string[] = [];
    const db = await resolveDevDatabase({ dataDir: dir, log: (l) => lines.push(l) });
    try {
      expect(db.kind).toBe('embedded');
      expect(lines).toEqual([
        `FerretDB unavailable, falling back: FERRETDB_BIN=${join(dir, 'no-such-ferretdb')} is not an executable file`,
        `database: embedded MongoDB-wire server (dev only) at ${db.uri}`,
      ]);
    } finally {
      await db.stop();
    }
    // Without persist nothing is written under dataDir.
    expect(await readdir(dir)).toEqual([]);
  });

  it('forced embedded with persist keeps data in <dataDir>/embedded.ejson across restarts', async () => {
    const dataDir = join(dir, 'not-yet-created');
    process.env.DEV_DB = 'embedded';
    const lines: string[] = [];
    const first = await resolveDevDatabase({ dataDir, persist: true, log: (l) => lines.push(l) });
    expect(first.kind).toBe('embedded');
    expect(first.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    expect(first.label).toBe(`embedded MongoDB-wire server (dev only) at ${first.uri}`);
    expect(lines).toEqual([`database: ${first.label}`]);
    const c1 = new MongoClient(first.uri);
    try {
      await c1.db('dev').collection('x').insertOne({ kept: true });
    } finally {
      await c1.close();
      await first.stop();
    }
    expect(await readFile(join(dataDir, 'embedded.ejson'), 'utf8')).toContain('"kept":true');

    const second = await resolveDevDatabase({ dataDir, persist: true });
    const c2 = new MongoClient(second.uri);
    try {
      expect(await c2.db('dev').collection('x').findOne({}, { projection: { _id: 0 } })).toEqual({ kept: true });
    } finally {
      await c2.close();
      await second.stop();
    }
  });
});

// ---------------------------------------------------------------------------
// raw wire helpers

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

function closed(s: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 3_000);
    s.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    s.on('error', () => undefined);
    s.resume();
  });
}

let requestId = 100;

function header(length: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId++, 4);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opQuery(ns: string, cmd: object): Buffer {
  const body = Buffer.from(BSON.serialize(cmd));
  const nsBuf = Buffer.from(`${ns}\0`);
  const fields = Buffer.alloc(4); // flags
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  const length = 16 + 4 + nsBuf.length + 8 + body.length;
  return Buffer.concat([header(length, 2004), fields, nsBuf, skipReturn, body]);
}

function opMsg(cmd: object, checksum: boolean): Buffer {
  const body = Buffer.from(BSON.serialize(cmd));
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(checksum ? 1 : 0);
  const length = 16 + 4 + 1 + body.length + (checksum ? 4 : 0);
  const withoutSum = Buffer.concat([header(length, 2013), flags, Buffer.from([0]), body]);
  if (!checksum) return withoutSum;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32c(withoutSum));
  return Buffer.concat([withoutSum, sum]);
}

function roundTrip(s: Socket, msg: Buffer): Promise<{ opCode: number; doc: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4 || buf.length < buf.readInt32LE(0)) return;
      s.off('data', onData);
      const opCode = buf.readInt32LE(12);
      const docStart = opCode === 1 ? 36 : 21;
      resolve({ opCode, doc: BSON.deserialize(buf.subarray(docStart, buf.readInt32LE(0))) });
    };
    s.on('data', onData);
    s.once('error', reject);
    s.write(msg);
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
