import { z } from 'zod';
import { STAFF_ROLES } from '../../db/models/staff-key.js';
import type { StaffKeyView } from '../../domain/staff-keys.js';
import { ApiError } from './admin-errors.js';
import type { AdminRouteModule } from './route-module.js';
import { isoDate, objectId, provinceCode } from './validate.js';

const role = z.enum(STAFF_ROLES);

export const keyLabel = z
  .string()
  .trim()
  .min(1, 'label must not be empty')
  .max(100, 'label is at most 100 characters')
  // Control characters would garble lists and logs.
  .regex(/^[^\p{Cc}]*$/u, 'label must not contain control characters')
  .describe('What the key is for, e.g. the office: "Phòng chế độ"');

const keyView = z.object({
  id: z.string(),
  label: z.string(),
  role,
  province: z.string().nullable().describe('null: every province'),
  keyPrefix: z.string().describe('First 8 characters after `lhb_`, to tell keys apart'),
  createdAt: isoDate,
  createdBy: z.string().describe('Id of the key that created this one, `bootstrap`, or `cli:<user>`'),
  revokedAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable().describe('Updated at most once a minute'),
});

const me = z.object({ keyId: z.string(), label: z.string(), role, province: z.string().nullable() });

const createBody = z.strictObject({
  role,
  province: provinceCode.nullable().optional().describe('Limit the key to one province; a province-scoped admin can only create keys for its own'),
  label: keyLabel,
});

const idParams = z.strictObject({ id: objectId });

const auditDetails = (record: StaffKeyView) => ({ role: record.role, province: record.province, label: record.label });

/** `/me` and staff key management. */
export const keysRoutes: AdminRouteModule = {
  tag: { name: 'Keys', description: 'Who am I, and the API keys of staff. Plaintext keys are shown once, at creation.' },
  register(api, { services }) {
    api.read(
      {
        path: '/me',
        summary: 'The calling key',
        roles: ['reviewer', 'broadcaster', 'viewer'],
        response: { description: 'Identity, role and province scope of the key used', schema: me },
      },
      async ({ staff }) => staff,
    );

    api.write(
      {
        method: 'post',
        path: '/keys',
        summary: 'Create an API key',
        description: 'Returns the plaintext `key` once; only its hash is stored. Hand it to its holder over a safe channel.',
        roles: ['admin'],
        body: createBody,
        response: { status: 201, description: 'The new key and its record', schema: z.object({ key: z.string().describe('`lhb_…`: shown this once'), record: keyView }) },
        audit: { action: 'staff_key.create', targetType: 'staff_key' },
      },
      async ({ body, staff, scope, res }) => {
        const created = await services.staffKeys.create({
          role: body.role,
          province: scope(body.province),
          label: body.label,
          createdBy: staff.keyId,
        });
        res.set('Cache-Control', 'no-store');
        return { body: created, audit: { targetId: created.record.id, details: auditDetails(created.record) } };
      },
    );

    api.read(
      {
        path: '/keys',
        summary: 'List API keys',
        description: 'A province-scoped admin sees the keys of its province only.',
        roles: ['admin'],
        query: z.strictObject({ status: z.enum(['active', 'revoked', 'all']).default('all').describe('Which keys to list') }),
        response: { description: 'Keys, newest first; never the key or its hash', schema: z.object({ items: z.array(keyView) }) },
      },
      async ({ query, scope }) => ({ items: await services.staffKeys.list({ province: scope(), status: query.status }) }),
    );

    api.write(
      {
        method: 'delete',
        path: '/keys/:id',
        summary: 'Revoke an API key',
        description: 'Takes effect on the next request made with the key. Revocation cannot be undone.',
        roles: ['admin'],
        params: idParams,
        response: { status: 200, description: 'The revoked key', schema: z.object({ record: keyView }) },
        errors: { 404: 'No such key (`not_found`), or not in your province', 409: 'Already revoked (`already_revoked`), or the key used for this request (`cannot_revoke_self`)' },
        audit: { action: 'staff_key.revoke', targetType: 'staff_key' },
      },
      async ({ params, staff, scope }) => {
        // Revoking the key in hand would lock its holder out mid-session; another admin must do it.
        if (params.id === staff.keyId) throw new ApiError(409, 'cannot_revoke_self', 'a key cannot revoke itself; use another admin key', { field: 'id' });
        const result = await services.staffKeys.revoke(params.id, { province: scope() });
        if (result.status === 'not_found') throw new ApiError(404, 'not_found', 'no such key', { field: 'id' });
        if (result.status === 'already_revoked') throw new ApiError(409, 'already_revoked', 'this key is already revoked', { field: 'id' });
        return { body: { record: result.record }, audit: { targetId: params.id, details: auditDetails(result.record) } };
      },
    );
  },
};
