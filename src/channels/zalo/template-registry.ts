import type { ZaloTemplateDoc, ZaloTemplateModel } from '../../db/models/zalo-template.js';
import { ZaloApiError } from './zalo-errors.js';
import { TEMPLATE_TOKEN_CODES, type TemplateClient, type TemplateQuota } from './template-client.js';
import type { ZaloTokenStore } from './token-store.js';

/** A template as staff see it in the console. */
export type StoredTemplate = Omit<ZaloTemplateDoc, '_id'> & { id: string };

/**
 * The OA's approved templates, read from Zalo into MongoDB so that mapping a
 * notice to a template, checking its parameters and estimating costs need no
 * call to Zalo. A sync reads the list and each template's details; one that
 * Zalo no longer lists is kept, marked `gone`, so a mapping to it shows why it stopped.
 */
export class ZaloTemplateRegistry {
  /** Grows with each sync in this instance, so what was read before it is read again. */
  generation = 0;

  constructor(
    private readonly model: ZaloTemplateModel,
    private readonly client: TemplateClient,
    private readonly tokens: Pick<ZaloTokenStore, 'accessToken' | 'refresh'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sync(): Promise<{ templates: number; enabled: number; gone: number }> {
    const listed = await this.withToken((token) => this.client.listTemplates(token));
    const at = this.now();
    let enabled = 0;
    for (const { id } of listed) {
      const t = await this.withToken((token) => this.client.templateInfo(token, id));
      if (t.status === 'ENABLE') enabled++;
      // The whole template as Zalo has it now; a concurrent sync writes the same.
      await this.model
        .replaceOne(
          { _id: t.id },
          { name: t.name, status: t.status, params: t.params, tag: t.tag, price: t.price, priceByUid: t.priceByUid, previewUrl: t.previewUrl, gone: false, syncedAt: at },
          { upsert: true },
        )
        .exec();
    }
    const gone = await this.model.updateMany({ _id: { $nin: listed.map((t) => t.id) }, gone: false }, { $set: { gone: true, syncedAt: at } }).exec();
    this.generation++;
    return { templates: listed.length, enabled, gone: gone.modifiedCount };
  }

  async list(): Promise<StoredTemplate[]> {
    const rows = await this.model.find().sort({ gone: 1, name: 1 }).lean().exec();
    return rows.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  }

  async get(id: string): Promise<StoredTemplate | null> {
    const row = await this.model.findById(id).lean().exec();
    if (!row) return null;
    const { _id, ...rest } = row;
    return { id: _id, ...rest };
  }

  quota(): Promise<TemplateQuota> {
    return this.withToken((token) => this.client.quota(token));
  }

  /** Runs a call with the OA token; refused as invalid or expired, refreshes once and tries again. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const current = await this.tokens.accessToken();
    try {
      return await call(current.token);
    } catch (err) {
      if (!(err instanceof ZaloApiError) || !TEMPLATE_TOKEN_CODES.has(err.code)) throw err;
      const fresh = await this.tokens.refresh(current.version);
      return call(fresh.token);
    }
  }
}
