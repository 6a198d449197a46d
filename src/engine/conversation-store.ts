import type { Claims, Lease } from '../db/claims.js';
import { isDuplicateKey } from '../db/connect.js';
import { chatUserId } from '../db/models/chat-user.js';
import type { ConversationDoc, ConversationModel, PendingAction } from '../db/models/conversation.js';
import type { ChatKey, OutMessage } from '../messaging/types.js';
import { DomainError } from '../domain/errors.js';

export interface ConversationState {
  flow: string | null;
  flowVersion: number;
  step: string | null;
  data: unknown;
}

export interface ClaimedConversation extends ConversationState {
  rev: number;
  pendingActions: PendingAction[];
  lastInboundId: string | null;
  lastReplies: OutMessage[];
  lastActivityAt: Date;
}

/**
 * Another turn of the same chat kept the lease for the whole wait. A `busy`
 * DomainError: nothing ran, so the channel lets the platform deliver the
 * message again. Names the channel only, never the chat id.
 */
export class ConversationBusyError extends DomainError {
  override name = 'ConversationBusyError';
  constructor(channel: ChatKey['channel']) {
    super('busy', `a ${channel} conversation stays busy`, { details: { channel } });
  }
}

/** A conversation that has seen no message yet. */
const FRESH = { flow: null, flowVersion: 0, step: null, data: {}, rev: 0, lastInboundId: null, lastReplies: [], pendingActions: [] };
/** Typeable notification buttons kept per conversation. */
export const KEPT_ACTIONS = 6;
/** A notification waits this long for a running turn before adding its buttons without the lease. */
const ACTIONS_WAIT_MS = 2_000;

/** The conversation's `_id`, the same `<channel>:<chatId>` as its chat user's: FerretDB finds a document without reading the collection only by `_id`. */
export const conversationId = (key: ChatKey): string => chatUserId(key);

/**
 * Conversation state in MongoDB. A lease per chat (see Claims) serialises the
 * messages of one chat across instances; a turn writes its state only while it
 * still holds the lease, so a turn whose lease ran out (a stalled process) is
 * redone rather than saved over its successor's.
 */
export class ConversationStore {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly model: ConversationModel,
    private readonly claims: Claims,
    private readonly leaseMs = 15_000,
    private readonly waitMs = 20_000,
  ) {}

  async claim(key: ChatKey, owner: string): Promise<ClaimedConversation> {
    const lease = await this.claims.waitForLease(`conv:${conversationId(key)}`, owner, this.leaseMs, this.waitMs);
    if (!lease) throw new ConversationBusyError(key.channel);
    this.leases.set(owner, lease);
    try {
      const doc = await this.model.findById(conversationId(key)).lean<ConversationDoc>().exec();
      return toClaimed(doc ?? { ...FRESH, lastActivityAt: new Date() });
    } catch (err) {
      await this.release(key, owner).catch(() => undefined);
      throw err;
    }
  }

  /** How often a running turn renews its lease (a third of its length). */
  get heartbeatMs(): number {
    return Math.floor(this.leaseMs / 3);
  }

  /**
   * Renews the lease of a turn still running (a slow notification, a 429 wait),
   * so only a dead or stalled process ever loses its lease and has its turn redone.
   */
  async renew(_key: ChatKey, owner: string): Promise<void> {
    await this.leases.get(owner)?.renew();
  }

  /** Saves the turn and releases the lease; false when the lease was lost meanwhile. */
  async save(
    key: ChatKey,
    owner: string,
    state: ConversationState & { lastInboundId: string; lastReplies: OutMessage[]; pendingActions: PendingAction[] },
  ): Promise<boolean> {
    const lease = this.leases.get(owner);
    if (!lease || !(await lease.held())) {
      this.leases.delete(owner);
      return false;
    }
    await this.model
      .updateOne(
        { _id: conversationId(key) },
        { $set: { ...state, channel: key.channel, chatId: key.chatId, lastActivityAt: new Date() }, $inc: { rev: 1 } },
        { upsert: true },
      )
      .exec();
    await this.release(key, owner);
    return true;
  }

  async release(_key: ChatKey, owner: string): Promise<void> {
    const lease = this.leases.get(owner);
    this.leases.delete(owner);
    await lease?.release();
  }

  /**
   * Remembers the action buttons of a notification just sent, so the user can
   * also type the label (platforms without buttons; people who type). Taken
   * under the chat's lease when it comes quickly, so a running turn does not
   * save over them; otherwise added anyway (a lost label only means a tap is needed).
   */
  async rememberActions(key: ChatKey, actions: Omit<PendingAction, 'at'>[]): Promise<void> {
    if (actions.length === 0) return;
    const at = new Date();
    const lease = await this.claims.waitForLease(`conv:${conversationId(key)}`, `actions:${at.getTime()}`, this.leaseMs, ACTIONS_WAIT_MS);
    try {
      const doc = await this.model.findById(conversationId(key), { pendingActions: 1 }).lean<ConversationDoc>().exec();
      const pendingActions = [...(doc?.pendingActions ?? []), ...actions.map((a) => ({ ...a, at }))].slice(-KEPT_ACTIONS);
      if (doc) {
        await this.model.updateOne({ _id: conversationId(key) }, { $set: { pendingActions } }).exec();
      } else {
        await this.model
          .create({ ...FRESH, _id: conversationId(key), channel: key.channel, chatId: key.chatId, pendingActions, lastActivityAt: at })
          .catch(async (err: unknown) => {
            // A first turn created it meanwhile (we did not get the lease): add ours to it.
            if (!isDuplicateKey(err)) throw err;
            await this.model.updateOne({ _id: conversationId(key) }, { $push: { pendingActions: { $each: pendingActions } } }).exec();
          });
      }
    } finally {
      await lease?.release();
    }
  }

  /** Deletes the conversation this turn holds (erasure on request). */
  async eraseLeased(key: ChatKey, owner: string): Promise<void> {
    await this.model.deleteOne({ _id: conversationId(key) }).exec();
    await this.release(key, owner);
  }

  async erase(key: ChatKey): Promise<void> {
    await this.model.deleteOne({ _id: conversationId(key) }).exec();
  }
}

function toClaimed(doc: Omit<ConversationDoc, '_id' | 'channel' | 'chatId'>): ClaimedConversation {
  return {
    flow: doc.flow ?? null,
    flowVersion: doc.flowVersion ?? 0,
    step: doc.step ?? null,
    data: doc.data ?? {},
    rev: doc.rev ?? 0,
    lastInboundId: doc.lastInboundId ?? null,
    lastReplies: doc.lastReplies ?? [],
    lastActivityAt: doc.lastActivityAt,
    pendingActions: doc.pendingActions ?? [],
  };
}
