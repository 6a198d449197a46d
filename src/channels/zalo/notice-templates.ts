import type { ZaloNoticeTemplateDoc, ZaloNoticeTemplateModel } from '../../db/models/zalo-notice-template.js';

/** How long a mapping read stays good: a staff change or a sync reaches sends within this. */
const CACHE_MS = 5_000;
import { NOTICE_FIELDS, NOTICE_KINDS, type NoticeKind } from '../../vocabulary/notices.js';
import { checkTemplateData } from './template-client.js';
import type { StoredTemplate, ZaloTemplateRegistry } from './template-registry.js';
import type { MappedTemplate } from '../../messaging/channel.js';

/** Why a mapping is refused; `field` names the input at fault. */
export interface MappingProblem {
  code: 'template_unknown' | 'template_not_approved' | 'param_unbound' | 'param_unknown' | 'field_unknown';
  field: string;
  message: string;
}

/** One notice kind as staff see it: the fields it offers, and the template it is mapped to, if any. */
export interface NoticeMappingView {
  kind: NoticeKind;
  fields: readonly string[];
  templateId: string | null;
  bindings: Record<string, string>;
  /** The template as last synced; null when unmapped or Zalo no longer has it. */
  template: Pick<StoredTemplate, 'id' | 'name' | 'status' | 'gone'> | null;
  /** Mapped to a template Zalo has approved and still lists. */
  usable: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** What a notice becomes beyond the window: the template and its data, or why it cannot go. */
export type NoticeTemplateData =
  | { kind: 'ready'; templateId: string; data: Record<string, string> }
  | { kind: 'unmapped' }
  | { kind: 'unusable'; reason: string };

const usable = (t: StoredTemplate | null): t is StoredTemplate => t !== null && t.status === 'ENABLE' && !t.gone;

/**
 * Staff map each notice kind to an approved Zalo template and bind each of its
 * parameters to a field of the notice. Checked when saved (every parameter
 * bound, to a field the notice has) and again when sent (the values fit the
 * template's limits, the template is still approved).
 */
export class ZaloNoticeTemplates {
  /**
   * The mapping and template of each kind as read last, for a few seconds or until this
   * instance syncs again: a broadcast beyond the window asks for every recipient, and
   * FerretDB scans to find a document by _id.
   */
  private readonly recent = new Map<NoticeKind, { at: number; generation: number; row: ZaloNoticeTemplateDoc | null; template: StoredTemplate | null }>();

  constructor(
    private readonly model: ZaloNoticeTemplateModel,
    private readonly templates: Pick<ZaloTemplateRegistry, 'get' | 'generation'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(): Promise<NoticeMappingView[]> {
    const rows = new Map((await this.model.find().lean().exec()).map((r) => [r._id, r]));
    return Promise.all(
      NOTICE_KINDS.map(async (kind) => {
        const row = rows.get(kind);
        const template = row ? await this.templates.get(row.templateId) : null;
        return {
          kind,
          fields: NOTICE_FIELDS[kind],
          templateId: row?.templateId ?? null,
          bindings: Object.fromEntries((row?.bindings ?? []).map((b) => [b.param, b.field])),
          template: template ? { id: template.id, name: template.name, status: template.status, gone: template.gone } : null,
          usable: usable(template),
          updatedBy: row?.updatedBy ?? null,
          updatedAt: row?.updatedAt ?? null,
        };
      }),
    );
  }

  /** Maps `kind` to a template; nothing is saved when a problem is found. */
  async set(kind: NoticeKind, templateId: string, bindings: Record<string, string>, actor: string): Promise<MappingProblem[]> {
    const template = await this.templates.get(templateId);
    if (!template || template.gone) return [{ code: 'template_unknown', field: 'templateId', message: 'no such template: sync the templates from Zalo first' }];
    if (template.status !== 'ENABLE') return [{ code: 'template_not_approved', field: 'templateId', message: `the template is ${template.status}, not approved by Zalo` }];
    const fields: readonly string[] = NOTICE_FIELDS[kind];
    const problems: MappingProblem[] = [];
    for (const p of template.params) {
      const field = bindings[p.name];
      if (field === undefined) {
        if (p.required) problems.push({ code: 'param_unbound', field: `bindings.${p.name}`, message: `the template needs "${p.name}": choose a field for it` });
      } else if (!fields.includes(field)) {
        problems.push({ code: 'field_unknown', field: `bindings.${p.name}`, message: `"${field}" is not a field of this notice (${fields.join(', ')})` });
      }
    }
    for (const param of Object.keys(bindings)) {
      if (!template.params.some((p) => p.name === param)) problems.push({ code: 'param_unknown', field: `bindings.${param}`, message: `the template has no parameter "${param}"` });
    }
    if (problems.length > 0) return problems;
    await this.model
      .replaceOne(
        { _id: kind },
        { templateId, bindings: Object.entries(bindings).map(([param, field]) => ({ param, field })), updatedBy: actor, updatedAt: this.now() },
        { upsert: true },
      )
      .exec();
    this.recent.delete(kind);
    return [];
  }

  async remove(kind: NoticeKind): Promise<boolean> {
    this.recent.delete(kind);
    return (await this.model.deleteOne({ _id: kind }).exec()).deletedCount > 0;
  }

  /** The mapping of `kind` and its template, read again after CACHE_MS. */
  private async current(kind: NoticeKind): Promise<{ row: ZaloNoticeTemplateDoc | null; template: StoredTemplate | null }> {
    const now = Date.now();
    const cached = this.recent.get(kind);
    if (cached && now - cached.at < CACHE_MS && cached.generation === this.templates.generation) return cached;
    const row = await this.model.findById(kind).lean().exec();
    const template = row ? await this.templates.get(row.templateId) : null;
    this.recent.set(kind, { at: now, generation: this.templates.generation, row, template });
    return { row, template };
  }

  /** The usable template `kind` is mapped to, with what it costs as Zalo states it. */
  async mapped(kind: NoticeKind): Promise<MappedTemplate | null> {
    const { row, template } = await this.current(kind);
    if (!row || !usable(template)) return null;
    return { id: template.id, name: template.name, tag: template.tag, price: template.price, priceByUid: template.priceByUid };
  }

  /** The template and data for one notice to one person, checked against the template's limits. */
  async dataFor(kind: NoticeKind, fields: Readonly<Record<string, string>>): Promise<NoticeTemplateData> {
    const { row, template } = await this.current(kind);
    if (!row) return { kind: 'unmapped' };
    if (!template || template.gone) return { kind: 'unusable', reason: 'template_gone' };
    if (template.status !== 'ENABLE') return { kind: 'unusable', reason: `template_${template.status.toLowerCase()}` };
    const data = Object.fromEntries(row.bindings.map((b) => [b.param, fields[b.field] ?? '']));
    const problems = checkTemplateData(template, data);
    if (problems.length > 0) return { kind: 'unusable', reason: `template_param_${problems[0]!.problem}:${problems[0]!.param}` };
    return { kind: 'ready', templateId: template.id, data };
  }
}
