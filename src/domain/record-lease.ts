import { ClaimBusyError, type Claims } from '../db/claims.js';
import { oneAtATime } from '../db/one-at-a-time.js';
import { busy } from './errors.js';

/**
 * Runs `change` while holding the lease on one record (see `oneAtATime` in
 * src/db). Services get it as this function, not the whole Claims.
 */
export type OneAtATime = <T>(resource: string, owner: string, change: () => Promise<T>) => Promise<T>;

/**
 * `oneAtATime` for the domain: a lease still held by another change after the
 * wait is an expected condition (a `busy` DomainError: nothing was changed,
 * try again), not a crash.
 */
export function recordLeases(claims: Claims): OneAtATime {
  return async <T>(resource: string, owner: string, change: () => Promise<T>): Promise<T> => {
    try {
      return await oneAtATime(claims, resource, owner, change);
    } catch (err) {
      if (err instanceof ClaimBusyError) throw busy(`${resource} is being changed by another request`, { cause: err, details: { resource } });
      throw err;
    }
  };
}
