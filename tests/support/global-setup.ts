import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { resolveDevDatabase, type DevDatabaseKind } from '../../src/db/dev-database.js';
import { LOG_DIR } from './log-files.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base MongoDB URI (no database name); use testMongoUri() from ./db.js. */
    mongoUri: string;
    /** Which server the run uses ('ferretdb' in CI; 'embedded' for the newcomer-path pass). */
    mongoKind: DevDatabaseKind;
  }
}

/**
 * Starts (or finds) the one database the whole test run shares. Tests never
 * mock mongoose: they talk to a real MongoDB-wire server, isolated per test by
 * database name.
 */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return startSharedDatabase(project, { keepLogs: false });
}

/** For a later pass of the same run (the timing files): the logs the first pass wrote stay for the log scan. */
export async function startSharedDatabase(project: TestProject, { keepLogs }: { keepLogs: boolean }): Promise<() => Promise<void>> {
  // Every test app appends its log lines here; tests/logscan reads them after the run.
  if (!keepLogs) await rm(LOG_DIR, { recursive: true, force: true });
  await mkdir(LOG_DIR, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'lhb-test-db-'));
  const db = await resolveDevDatabase({
    dataDir,
    log: (line) => process.stdout.write(`[global-setup] ${line}\n`),
  });
  // The first line a reader needs: which server this whole run's evidence comes from.
  process.stdout.write(`\n== tests run on ${db.label}\n\n`);
  project.provide('mongoUri', db.uri);
  project.provide('mongoKind', db.kind);
  return async () => {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
