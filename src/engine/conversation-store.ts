import { isDuplicateKey } from '../db/connect.js';
import type { ConversationDoc, ConversationModel, PendingAction } from '../db/models/conversation.js';
import type { ChatKey, OutMessage } from './types.js';

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

export class ConversationBusyError extends Error {
  override name = 'ConversationBusyError';
}

/** A conversation that has seen no message yet. */
const FRESH = { flow: null, flowVersion: 0, step: null, data: {}, rev: 0, lastInboundId: null, lastReplies: [] };
/** Typeable notification buttons kept per conversation. */
export const KEPT_ACTIONS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Conversation state in MongoDB. A short lease serialises messages of one chat
 * across instances; the revision check on save catches a lease that ran out
 * while a slow step was running, so that turn is redone rather than lost.
 */
export class ConversationStore {
  constructor(
    private readonly model: ConversationModel,
    private readonly leaseMs = 15_000,
    private readonly waitMs = 20_000,
  ) {}

  async claim(key: ChatKey, owner: string): Promise<ClaimedConversation> {
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      try {
        const doc = await this.model
          .findOneAndUpdate(
            { channel: key.channel, chatId: key.chatId, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
            {
              $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + this.leaseMs) },
              $setOnInsert: { ...FRESH, lastActivityAt: now },
            },
            { upsert: true, returnDocument: 'after', lean: true },
          )
          .exec();
        if (doc) return toClaimed(doc);
      } catch (err) {
        // The upsert collides with an existing, leased conversation: someone else is on it.
        if (!isDuplicateKey(err)) throw err;
      }
      if (Date.now() > deadline) throw new ConversationBusyError(`conversation ${key.channel}:${key.chatId} stays busy`);
      await sleep(Math.min(25 * 2 ** Math.min(attempt, 5), 400) * (0.5 + Math.random()));
    }
  }

  /** How often a running turn renews its lease (a third of its length). */
  get heartbeatMs(): number {
    return Math.floor(this.leaseMs / 3);
  }

  /**
   * Renews the lease of a turn still running (a slow notification, a 429 wait),
   * so only a dead process ever loses its lease and has its turn redone.
   */
  async renew(key: ChatKey, owner: string): Promise<void> {
    await this.model
      .updateOne({ channel: key.channel, chatId: key.chatId, leaseOwner: owner }, { $set: { leaseUntil: new Date(Date.now() + this.leaseMs) } })
      .exec();
  }

  /** Saves the turn and releases the lease; false when the lease was lost meanwhile. */
  async save(
    key: ChatKey,
    owner: string,
    rev: number,
    state: ConversationState & { lastInboundId: string; lastReplies: OutMessage[]; pendingActions: PendingAction[] },
  ): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { channel: key.channel, chatId: key.chatId, leaseOwner: owner, rev },
        {
          $set: { ...state, leaseOwner: null, leaseUntil: null, lastActivityAt: new Date() },
          $inc: { rev: 1 },
        },
      )
      .exec();
    return result.matchedCount === 1;
  }

  async release(key: ChatKey, owner: string): Promise<void> {
    await this.model
      .updateOne(
        { channel: key.channel, chatId: key.chatId, leaseOwner: owner },
        { $set: { leaseOwner: null, leaseUntil: null } },
      )
      .exec();
  }

  /**
   * Remembers the action buttons of a notification just sent, so the user can
   * also type the label (platforms without buttons; people who type).
   */
  async rememberActions(key: ChatKey, actions: Omit<PendingAction, 'at'>[]): Promise<void> {
    if (actions.length === 0) return;
    const at = new Date();
    // No $slice here: FerretDB 1.24 ignores it. The engine keeps the newest KEPT_ACTIONS when it saves.
    const push = { $push: { pendingActions: { $each: actions.map((a) => ({ ...a, at })) } } };
    try {
      await this.model.updateOne({ channel: key.channel, chatId: key.chatId }, { ...push, $setOnInsert: { ...FRESH, lastActivityAt: at } }, { upsert: true }).exec();
    } catch (err) {
      // Two notifications created the conversation at once: the other insert won, push into it.
      if (!isDuplicateKey(err)) throw err;
      await this.model.updateOne({ channel: key.channel, chatId: key.chatId }, push).exec();
    }
  }

  /** Deletes the conversation this turn holds (erasure on request). */
  async eraseLeased(key: ChatKey, owner: string): Promise<void> {
    await this.model.deleteOne({ channel: key.channel, chatId: key.chatId, leaseOwner: owner }).exec();
  }

  async erase(key: ChatKey): Promise<void> {
    await this.model.deleteOne({ channel: key.channel, chatId: key.chatId }).exec();
  }
}

function toClaimed(doc: ConversationDoc): ClaimedConversation {
  return {
    flow: doc.flow,
    flowVersion: doc.flowVersion,
    step: doc.step,
    data: doc.data,
    rev: doc.rev,
    lastInboundId: doc.lastInboundId,
    lastReplies: doc.lastReplies ?? [],
    lastActivityAt: doc.lastActivityAt,
    pendingActions: doc.pendingActions ?? [],
  };
}
