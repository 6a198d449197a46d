/**
 * Runs the dev/test database in its own process for benchmarks, so the app
 * under test does not share its event loop with the database (as in production).
 * Prints one JSON line {uri, kind}, then serves until killed.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDevDatabase } from '../src/db/dev-database.js';

const db = await resolveDevDatabase({ dataDir: join(tmpdir(), `bench-db-${process.pid}`), log: (line) => process.stderr.write(`  ${line}\n`) });
process.stdout.write(`${JSON.stringify({ uri: db.uri, kind: db.kind, label: db.label })}\n`);
const stop = () => void db.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
