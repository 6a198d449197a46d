import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { inject } from 'vitest';

/**
 * URI of a fresh database on the shared test server. Every call names a new
 * database (`t_<random>`), so tests and parallel files never see each other's data.
 */
export function testMongoUri(dbName: string = `t_${randomBytes(6).toString('hex')}`): string {
  return withDatabase(inject('mongoUri'), dbName);
}

/** Swaps the database path of a connection string; URL() rejects multi-host URIs, so no URL(). */
export function withDatabase(base: string, dbName: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!m) throw new Error(`not a MongoDB connection string: ${base}`);
  return `${m[1]}/${dbName}${m[2] ?? ''}`;
}

export interface TestMongoose {
  connection: mongoose.Connection;
  uri: string;
  /** Drops the test database and closes the connection. */
  drop(): Promise<void>;
}

/** A dedicated mongoose connection (not the global singleton) to a fresh database. */
export async function connectTestMongoose(): Promise<TestMongoose> {
  const uri = testMongoUri();
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 });
  await connection.asPromise();
  return {
    connection,
    uri,
    drop: async () => {
      try {
        await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    },
  };
}
