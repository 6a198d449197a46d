/**
 * Staff key administration from a shell, for the first keys and for emergencies
 * (e.g. every admin key lost). Talks to MongoDB directly with MONGODB_URI.
 *
 *   npm run admin -- create-key --role reviewer --province 08 --label "Phòng chế độ"
 *   npm run admin -- list-keys
 *   npm run admin -- revoke-key <id>
 *
 * Writes are audited like API writes, with the operating-system user as actor.
 */
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { connectDatabase } from '../src/db/connect.js';
import { auditLogModel } from '../src/db/models/audit-log.js';
import { STAFF_ROLES, staffKeyModel } from '../src/db/models/staff-key.js';
import { AuditService } from '../src/domain/audit.js';
import { StaffKeyService, type StaffKeyView } from '../src/domain/staff-keys.js';
import { keyLabel } from '../src/http/admin/keys-routes.js';
import { objectId, provinceCode } from '../src/http/admin/validate.js';
import { createLogger } from '../src/logger.js';

const USAGE = `usage: npm run admin -- <command>

  create-key --role <${STAFF_ROLES.join('|')}> [--province NN] [--label text]
      Issues a key and prints it once. --province limits it to one province (2 digits).
  list-keys
      Lists keys (never the key itself).
  revoke-key <id>
      Revokes a key for good.

Reads MONGODB_URI from the environment.`;

/** A mistake in how the command was called: print it with the usage, exit 2. */
class UsageError extends Error {}

const createArgs = z.strictObject({
  role: z.enum(STAFF_ROLES, { message: `expected one of ${STAFF_ROLES.join(', ')}` }),
  province: provinceCode.optional(),
  label: keyLabel.optional(),
});

function firstIssue(error: z.ZodError, prefix = '--'): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid arguments';
  const name = issue.path.map(String).join('.');
  return name ? `${prefix}${name}: ${issue.message}` : issue.message;
}

function parse(argv: string[]): { options: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { role: { type: 'string' }, province: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { options: values, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Who ran the command, for created-by and the audit log. */
function operator(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `cli:${user}@${hostname()}`;
}

function formatKey(k: StaffKeyView): string {
  const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
  const lastUsed = k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never';
  return `${k.id}  ${k.keyPrefix.startsWith("(") ? k.keyPrefix : `lhb_${k.keyPrefix}…`}  ${k.role.padEnd(11)}  province ${k.province ?? 'all'}  ${state}  last used ${lastUsed}  "${k.label}"`;
}

async function withDatabase<T>(run: (services: { staffKeys: StaffKeyService; audit: AuditService }) => Promise<T>): Promise<T> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new UsageError('MONGODB_URI is not set (e.g. mongodb://localhost:27017/luonghuu)');
  if (!/^mongodb(\+srv)?:\/\//.test(uri)) throw new UsageError('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'fatal', process.stderr);
  let connection: Connection | undefined;
  try {
    connection = await connectDatabase(uri, logger);
    const keys = staffKeyModel(connection);
    const auditLog = auditLogModel(connection);
    await Promise.all([keys.init(), auditLog.init()]);
    return await run({ staffKeys: new StaffKeyService(keys), audit: new AuditService(auditLog) });
  } finally {
    await connection?.close();
  }
}

function cliAuditEntry(action: string, record: StaffKeyView, by: string) {
  return {
    actor: { keyId: null, label: by, role: 'system', province: null },
    action,
    target: { type: 'staff_key', id: record.id },
    details: { role: record.role, province: record.province, label: record.label },
    ip: null,
    userAgent: 'admin-cli',
  };
}

async function main(argv: string[]): Promise<void> {
  const { options, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (options.help || command === undefined || command === 'help') {
    console.log(USAGE);
    if (command === undefined && !options.help) process.exitCode = 2;
    return;
  }

  switch (command) {
    case 'create-key': {
      if (rest.length > 0) throw new UsageError(`create-key takes no positional arguments (got "${rest.join(' ')}")`);
      if (options.role === undefined) throw new UsageError('create-key needs --role');
      const parsed = createArgs.safeParse({ role: options.role, province: options.province, label: options.label });
      if (!parsed.success) throw new UsageError(firstIssue(parsed.error));
      const by = operator();
      const { role, province } = parsed.data;
      const label = parsed.data.label ?? `${role} (created by ${by})`;
      const { key, record } = await withDatabase(async ({ staffKeys, audit }) => {
        const created = await staffKeys.create({ role, province: province ?? null, label, createdBy: by });
        await audit.record(cliAuditEntry('staff_key.create', created.record, by));
        return created;
      });
      console.log(formatKey(record));
      console.log('');
      console.log('API key (shown once, store it now; only its hash is kept):');
      console.log(key);
      return;
    }
    case 'list-keys': {
      if (rest.length > 0 || options.role || options.province || options.label) throw new UsageError('list-keys takes no arguments');
      const keys = await withDatabase(({ staffKeys }) => staffKeys.list());
      if (keys.length === 0) console.log('no keys');
      for (const k of keys) console.log(formatKey(k));
      return;
    }
    case 'revoke-key': {
      if (rest.length !== 1 || options.role || options.province || options.label) throw new UsageError('revoke-key takes exactly one argument: the key id (see list-keys)');
      const id = objectId.safeParse(rest[0]);
      if (!id.success) throw new UsageError(`key id: ${id.error.issues[0]?.message ?? 'invalid'}`);
      const by = operator();
      const result = await withDatabase(async ({ staffKeys, audit }) => {
        const outcome = await staffKeys.revoke(id.data);
        if (outcome.status === 'revoked') await audit.record(cliAuditEntry('staff_key.revoke', outcome.record, by));
        return outcome;
      });
      if (result.status === 'not_found') throw new Error(`no key with id ${id.data}`);
      if (result.status === 'already_revoked') throw new Error(`key ${id.data} was already revoked at ${result.record.revokedAt?.toISOString() ?? '?'}`);
      console.log(`revoked: ${formatKey(result.record)}`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 1;
  }
});
