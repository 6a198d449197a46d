import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../logger.js';
import type { StaffIdentity, StaffKeyService } from '../../domain/staff-keys.js';
import { parse as parseCookies } from 'cookie';
import { csrfMatches, SESSION_COOKIE, type ConsoleSessionService } from './console-sessions.js';
import { ApiError } from './admin-errors.js';

export interface AttemptLimits {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = { maxFailures: 20, windowMs: 10 * 60_000 };

/** Bounds memory when many addresses fail (a scan): old entries go first. */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Failed authentications per client address, in this process's memory: the
 * limit is per instance, so N instances behind a load balancer allow up to N×
 * the attempts. That is acceptable because keys carry 256 random bits (guessing
 * is hopeless anyway); the limiter only keeps scanners from costing us a
 * database lookup per guess, and a shared store would add a write per failure.
 */
export class FailedAttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: AttemptLimits = DEFAULT_ATTEMPT_LIMITS) {}

  /** Seconds until this address may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    if (recent.length < this.limits.maxFailures) return 0;
    const oldest = recent[recent.length - this.limits.maxFailures] ?? now;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - now) / 1000));
  }

  recordFailure(address: string, now = Date.now()): void {
    const recent = this.recent(address, now);
    recent.push(now);
    // Only the last maxFailures timestamps decide anything.
    if (recent.length > this.limits.maxFailures) recent.splice(0, recent.length - this.limits.maxFailures);
    this.failures.delete(address); // re-insert: Map order becomes least-recently-failed first
    this.failures.set(address, recent);
    if (this.failures.size > MAX_TRACKED_ADDRESSES) {
      const oldestAddress = this.failures.keys().next().value;
      if (oldestAddress !== undefined) this.failures.delete(oldestAddress);
    }
  }

  private recent(address: string, now: number): number[] {
    const list = this.failures.get(address);
    if (!list) return [];
    const fresh = list.filter((t) => now - t < this.limits.windowMs);
    if (fresh.length === 0) this.failures.delete(address);
    return fresh;
  }
}

/** The caller's address, as failed attempts are counted by (behind a trusted proxy: the forwarded one). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The caller `authenticate` attached; a route reached without it is a wiring bug. */
export function staffOf(res: Response): StaffIdentity {
  const staff = (res.locals as { staff?: StaffIdentity }).staff;
  if (!staff) throw new Error('admin route reached without authentication');
  return staff;
}

/** RFC 6750 §3: tell clients which scheme to use; `invalid_token` when one was given and refused. */
function unauthorized(message: string, tokenGiven: boolean): ApiError {
  const challenge = tokenGiven ? 'Bearer realm="admin", error="invalid_token"' : 'Bearer realm="admin"';
  return new ApiError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
}

/** Methods that change nothing; everything else needs the CSRF header when the cookie authenticates. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console session token from the request's cookies, if any. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookies(cookieHeader)[SESSION_COOKIE] || undefined;
}

/**
 * Requires `Authorization: Bearer <key>` naming an active staff key, or the
 * web console's session cookie (plus `X-CSRF-Token` on anything but a read),
 * and sets `res.locals.staff`. Waits for `ready` so the bootstrap admin works
 * from the first request.
 */
export function authenticate(opts: {
  staffKeys: StaffKeyService;
  sessions?: ConsoleSessionService;
  limiter: FailedAttemptLimiter;
  ready: Promise<unknown>;
  logger: Logger;
}): RequestHandler {
  // A failed bootstrap is reported by whoever awaits `ready`; other keys keep working.
  const settled = opts.ready.then(
    () => undefined,
    () => undefined,
  );
  return async (req, res, next) => {
    await settled;
    const address = clientAddress(req);
    const wait = opts.limiter.retryAfterSeconds(address);
    if (wait > 0) {
      throw new ApiError(429, 'too_many_attempts', 'too many failed attempts from this address; try again later', {
        headers: { 'Retry-After': String(wait) },
      });
    }
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1];
    const sessionToken = token === undefined && opts.sessions ? sessionTokenOf(req.get('cookie')) : undefined;
    if (sessionToken !== undefined && opts.sessions) {
      const staff = await opts.sessions.resolve(sessionToken);
      if (!staff) throw new ApiError(401, 'session_expired', 'the console session has ended; sign in again');
      // SameSite=Strict already keeps other sites' requests cookie-less; the header is the second lock.
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(sessionToken, req.get('x-csrf-token'))) {
        throw new ApiError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header; reload the console');
      }
      res.locals.staff = staff;
      next();
      return;
    }
    if (token === undefined) throw unauthorized('send an API key: Authorization: Bearer lhb_…', false);
    const staff = await opts.staffKeys.authenticate(token);
    if (!staff) {
      opts.limiter.recordFailure(address);
      opts.logger.warn({ event: 'admin_auth_failed', ip: address }, 'admin API key refused');
      throw unauthorized('unknown or revoked API key', true);
    }
    res.locals.staff = staff;
    next();
  };
}
