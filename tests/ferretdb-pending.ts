/**
 * Test files that do not pass on FerretDB 1.24 yet, with why (issue 11). When
 * the run's database is FerretDB they are left out; CI runs them on the
 * embedded server instead, so they still guard behaviour until fixed. Empty
 * this list, never grow it without a reason.
 */
export const FERRETDB_PENDING: Record<string, string> = {
  // FerretDB's SQLite handler writes one transaction per update statement (about 3 ms each,
  // one writer at a time): two writes per delivery cannot keep 200/s. Needs fewer writes per delivery.
  'tests/integration/broadcast-delivery.test.ts': 'pacing at 200/s exceeds FerretDB write throughput',
  'tests/integration/broadcast-crash.test.ts': '5 000 deliveries take longer than its 60 s window on FerretDB',
};
