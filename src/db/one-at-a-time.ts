import { ClaimBusyError, type Claims } from './claims.js';

/** A change holds its record's lease for a few database round trips; this is ample. */
const LEASE_MS = 30_000;
/** How long a change waits for the one before it to finish. */
const WAIT_MS = 10_000;

/**
 * Runs `change` while holding the lease on `resource` (one record), so writes
 * to that record happen one at a time and each sees the result of the one
 * before. Needed on FerretDB 1.24: it applies an update as "read the document,
 * then write it back whole by _id" with nothing held between (issue #3040),
 * so two conditional updates can both win and two `$push`es can lose one.
 * A lease rather than a single-use claim where a record's status can come back
 * or where late callers must wait and then apply, not fail.
 */
export async function oneAtATime<T>(claims: Claims, resource: string, owner: string, change: () => Promise<T>): Promise<T> {
  const lease = await claims.waitForLease(resource, owner, LEASE_MS, WAIT_MS);
  if (!lease) throw new ClaimBusyError(`${resource}: another change held it for ${WAIT_MS} ms`);
  try {
    return await change();
  } finally {
    await lease.release();
  }
}
