/**
 * `npm run ferretdb`: builds FerretDB 1.24.2 from scripts/ferretdb (cached after the
 * first build) and prints where the binary is. CI runs it before the tests so a
 * build failure fails loudly, with Go's own error, instead of inside a test run.
 */
import { verifiedFerretDbBinary } from '../src/db/ferretdb.js';

try {
  const { bin, version } = await verifiedFerretDbBinary((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`FerretDB ${version}: ${bin}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
