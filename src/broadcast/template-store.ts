import type { Claims } from '../db/claims.js';
import { Types } from 'mongoose';
import type { NoticeTemplateDoc, NoticeTemplateModel, TemplateWording } from '../db/models/notice-template.js';
import { linksInText } from './links.js';
import { BroadcastError, type BroadcastActor } from './errors.js';
import { templateFields, type NoticeTemplate } from './templates.js';

/** A template as staff see it: built-in (read-only, from the locale files) or stored (editable, versioned). */
export interface TemplateView {
  id: string;
  version: number;
  builtIn: boolean;
  fields: string[];
  title: TemplateWording;
  text: TemplateWording;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export interface TemplateInput {
  title: TemplateWording;
  text: TemplateWording;
}

/** The wording of one template version, for filling a broadcast. */
export interface ResolvedTemplate {
  id: string;
  version: number;
  text: TemplateWording;
}

const builtInView = (t: NoticeTemplate): TemplateView => ({ ...t, builtIn: true, updatedBy: null, updatedAt: null });

const storedView = (d: Omit<NoticeTemplateDoc, 'versions'>): TemplateView => ({
  id: String(d._id),
  version: d.version,
  builtIn: false,
  fields: d.fields,
  title: d.title,
  text: d.text,
  updatedBy: d.updatedBy,
  updatedAt: d.updatedAt,
});

/**
 * Notice templates: the built-in anti-fraud notices plus those staff write.
 * Editing a stored template saves a new version; old versions stay readable,
 * so a broadcast's record (template id + version) always points at its wording.
 */
export class TemplateStore {
  constructor(
    private readonly model: NoticeTemplateModel,
    private readonly builtIns: NoticeTemplate[],
    private readonly claims: Claims,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(limit = 200): Promise<TemplateView[]> {
    const stored = await this.model.find({}, { versions: 0 }).sort({ updatedAt: -1 }).limit(limit).lean().exec();
    return [...this.builtIns.map(builtInView), ...stored.map(storedView)];
  }

  async create(input: TemplateInput, actor: BroadcastActor): Promise<TemplateView> {
    const fields = checkWording(input);
    const at = this.now();
    const doc = await this.model.create({
      version: 1,
      ...input,
      fields,
      createdBy: actor.keyId,
      updatedBy: actor.keyId,
      versions: [{ version: 1, ...input, fields, savedBy: actor.keyId, savedAt: at }],
    });
    return storedView(doc.toObject());
  }

  /** Saves a new version. `expectedVersion`, when given, refuses an edit made on stale wording. */
  async update(id: string, input: TemplateInput, actor: BroadcastActor, expectedVersion?: number): Promise<TemplateView> {
    if (this.builtIns.some((t) => t.id === id)) throw new BroadcastError('template_read_only', 'built-in templates cannot be edited; create a new template');
    const fields = checkWording(input);
    // Editing names the template in the path: unknown is "not found", not a bad request.
    const current = await this.load(id, 'not_found');
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new BroadcastError('template_conflict', `template is at version ${current.version}, not ${expectedVersion}`, 'expectedVersion');
    }
    const version = current.version + 1;
    // Two staff saving at once cannot both become version n+1: the number is a single-use claim.
    if (!(await this.claims.once(`template-version:${String(current._id)}:${version}`))) {
      throw new BroadcastError('template_conflict', 'the template was changed meanwhile; reload and try again');
    }
    await this.model
      .updateOne(
        { _id: current._id },
        {
          $set: { version, title: input.title, text: input.text, fields, updatedBy: actor.keyId },
          $push: { versions: { version, ...input, fields, savedBy: actor.keyId, savedAt: this.now() } },
        },
      )
      .exec();
    // Read back without the history (no projection inside findAndModify: FerretDB 1.24 refuses it).
    const updated = await this.model.findById(current._id, { versions: 0 }).lean().exec();
    if (!updated) throw new BroadcastError('not_found', 'template not found');
    return storedView(updated);
  }

  /** A template's wording at `version` (default: the current one). */
  async resolve(id: string, version?: number): Promise<ResolvedTemplate> {
    const builtIn = this.builtIns.find((t) => t.id === id);
    if (builtIn) {
      if (version !== undefined && version !== builtIn.version) throw new BroadcastError('template_unknown', `no version ${version} of template ${id}`, 'template.version');
      return { id, version: builtIn.version, text: builtIn.text };
    }
    const doc = await this.load(id);
    const wanted = version ?? doc.version;
    const saved = doc.versions.find((v) => v.version === wanted);
    if (!saved) throw new BroadcastError('template_unknown', `no version ${wanted} of template ${id}`, 'template.version');
    return { id, version: wanted, text: saved.text };
  }

  private async load(id: string, missing: 'template_unknown' | 'not_found' = 'template_unknown'): Promise<NoticeTemplateDoc> {
    const doc = Types.ObjectId.isValid(id) ? await this.model.findById(id).lean().exec() : null;
    if (!doc) throw new BroadcastError(missing, `no template ${id}`, 'template.id');
    return doc;
  }
}

/** Both languages need the same named fields; links belong on the button, never in the text. */
function checkWording(input: TemplateInput): string[] {
  const fields = templateFields(input.text.vi);
  if (input.text.en !== undefined) {
    const en = templateFields(input.text.en);
    if (en.join(',') !== fields.join(',')) {
      throw new BroadcastError('template_invalid', `the English text must use the same fields as the Vietnamese (${fields.join(', ') || 'none'})`, 'text.en');
    }
  }
  for (const [lang, text] of Object.entries(input.text)) {
    if (typeof text === 'string' && linksInText(text).length > 0) {
      throw new BroadcastError('template_invalid', 'put links on the broadcast button (linkUrl), not in the template text', `text.${lang}`);
    }
  }
  return fields;
}
