import { provinceNames } from '../domain/validators/cccd.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { AuditService } from '../domain/audit.js';
import type { StaffIdentity, StaffKeyService } from '../domain/staff-keys.js';
import { NOTE_MAX } from '../domain/fraud.js';
import { BENEFIT_TYPES } from '../vocabulary/benefits.js';
import { FRAUD_CATEGORIES, FRAUD_STATUSES } from '../vocabulary/fraud.js';
import type { StaffRole } from '../vocabulary/staff.js';
import { LOCALES, type Locale } from '../messaging/types.js';
import { loadResources, type Resources } from '../i18n/i18n.js';
import { clientAddress, sessionTokenOf, type FailedAttemptLimiter } from '../http/admin/auth.js';
import { actorOf, userAgentOf } from '../http/admin/audit-middleware.js';
import { csrfMatches, csrfTokenFor, SESSION_COOKIE, type ConsoleSessionService } from '../http/admin/console-sessions.js';

export interface ConsoleRouteDeps {
  staffKeys: StaffKeyService;
  sessions: ConsoleSessionService;
  audit: AuditService;
  limiter: FailedAttemptLimiter;
  /** What a role may call in the admin API, by operation id (the admin router's answer). */
  capabilities: (role: StaffRole) => Record<string, boolean>;
  logger: Logger;
  /** PUBLIC_URL is https: mark the cookie Secure even if the proxy's X-Forwarded-Proto is not trusted. */
  httpsOnly?: boolean;
  resources?: Resources;
}

const signInBody = z.strictObject({ key: z.string().min(1).max(256) });

/** Noto Sans with its Vietnamese subset: diacritics look right on any desk computer, with no CDN. */
function fontDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@fontsource/noto-sans/package.json')), 'files');
}

/** The console's strings: every `console*` namespace of one locale. */
function consoleBundle(resources: Resources, locale: Locale): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resources[locale]).filter(([ns]) => ns.startsWith('console')));
}

/**
 * The signed-in key as the console sees it. `can` is what the admin API would
 * allow this key (operation id → allowed), so the console hides what would be
 * refused without knowing the role rules itself.
 */
const sessionView = (deps: ConsoleRouteDeps, staff: StaffIdentity, csrfToken: string) => ({
  staff: { label: staff.label, role: staff.role, province: staff.province },
  csrfToken,
  idleMinutes: deps.sessions.idleMinutes,
  can: deps.capabilities(staff.role),
});

/**
 * The server's words the console shows as choices (filters, audience), so it
 * never keeps its own copy of a list: src/console/public/lib/vocabulary.js.
 */
const VOCABULARY = {
  benefitTypes: BENEFIT_TYPES,
  /** Province names by code: staff read "Hà Nội (01)", not "01". */
  provinces: provinceNames(),
  fraudCategories: FRAUD_CATEGORIES,
  fraudStatuses: FRAUD_STATUSES,
  fraudNoteMax: NOTE_MAX,
};

const fail = (res: Response, status: number, code: string, message: string): void => {
  res.status(status).json({ code, message });
};

/**
 * The staff web console: its page and assets, and sign-in that exchanges an
 * API key for a session cookie. Everything else the console does goes through
 * the admin API with that cookie.
 */
export function consoleRoutes(deps: ConsoleRouteDeps): Router {
  const router = express.Router();
  const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
  const resources = deps.resources ?? loadResources();
  const bundles = new Map(LOCALES.map((locale) => [locale, JSON.stringify(consoleBundle(resources, locale))]));

  router.get(['/console', '/console/'], (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: publicDir });
  });
  // Modules change with every release and have no hashed names: revalidate rather than cache blind.
  router.use('/console/assets', express.static(publicDir, { index: false, maxAge: 0, fallthrough: false }));
  router.use('/console/fonts', express.static(fontDir(), { index: false, maxAge: '30d', immutable: true, fallthrough: false }));
  router.get('/console/i18n/:file', (req, res) => {
    const locale = /^(\w+)\.json$/.exec(req.params.file)?.[1] as Locale | undefined;
    const bundle = locale ? bundles.get(locale) : undefined;
    if (!bundle) return fail(res, 404, 'not_found', 'no such language');
    res.set('Cache-Control', 'no-cache').type('json').send(bundle);
  });
  router.get('/console/vocabulary.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(VOCABULARY);
  });

  const session = express.Router();
  session.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  session.use(express.json({ limit: '4kb' }));

  session.get('/', async (req, res) => {
    const token = sessionTokenOf(req.get('cookie'));
    const staff = token ? await deps.sessions.resolve(token) : null;
    if (!token || !staff) return fail(res, 401, 'signed_out', 'not signed in');
    res.json(sessionView(deps, staff, csrfTokenFor(token)));
  });

  session.post('/', async (req, res) => {
    const address = clientAddress(req);
    const wait = deps.limiter.retryAfterSeconds(address);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return fail(res, 429, 'too_many_attempts', 'too many failed attempts from this address; try again later');
    }
    const parsed = signInBody.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'validation_failed', 'send { "key": "lhb_…" }');
    const staff = await deps.staffKeys.authenticate(parsed.data.key.trim());
    if (!staff) {
      deps.limiter.recordFailure(address);
      deps.logger.warn({ event: 'console_sign_in_failed', ip: address }, 'console sign-in refused');
      return fail(res, 401, 'unauthorized', 'unknown or revoked API key');
    }
    const { token, csrfToken } = await deps.sessions.create(staff);
    res.cookie(SESSION_COOKIE, token, cookieOptions(req, deps));
    await audit(deps, req, staff, 'console.sign_in');
    res.status(201).json(sessionView(deps, staff, csrfToken));
  });

  session.delete('/', async (req, res) => {
    const token = sessionTokenOf(req.get('cookie'));
    res.clearCookie(SESSION_COOKIE, cookieOptions(req, deps));
    if (!token) return void res.status(204).end();
    if (!csrfMatches(token, req.get('x-csrf-token'))) return fail(res, 403, 'csrf_failed', 'missing or wrong X-CSRF-Token header');
    const staff = await deps.sessions.resolve(token);
    await deps.sessions.end(token);
    if (staff) await audit(deps, req, staff, 'console.sign_out');
    res.status(204).end();
  });

  router.use('/console/session', session);
  return router;
}

/** A browser session cookie (no Max-Age): the server ends it on idle; closing the browser ends it too. */
function cookieOptions(req: Request, deps: ConsoleRouteDeps) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: req.secure || deps.httpsOnly === true, path: '/' };
}

async function audit(deps: ConsoleRouteDeps, req: Request, staff: StaffIdentity, action: string): Promise<void> {
  await deps.audit.record({
    actor: actorOf(staff),
    action,
    target: { type: 'staff_key', id: staff.keyId },
    details: {},
    ip: clientAddress(req),
    userAgent: userAgentOf(req),
  });
}
