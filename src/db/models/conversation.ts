import { Schema, type Connection, type Model } from 'mongoose';
import type { OutMessage } from '../../messaging/types.js';

/**
 * One conversation per (channel, chat), keyed `<channel>:<chatId>`: plain JSON
 * state plus the flow's version and a revision. The lease that lets one message
 * at a time through per chat lives in the claims collection (src/db/claims.ts).
 */
export interface ConversationDoc {
  _id: string;
  channel: string;
  chatId: string;
  flow: string | null;
  flowVersion: number;
  step: string | null;
  data: unknown;
  rev: number;
  lastInboundId: string | null;
  lastReplies: OutMessage[];
  lastActivityAt: Date;
  /** Buttons of recent notifications, by folded label, so typing the label works like the tap. */
  pendingActions: PendingAction[];
}

export interface PendingAction {
  label: string;
  payload: string;
  at: Date;
}

const schema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    flow: { type: String, default: null },
    flowVersion: { type: Number, default: 0 },
    step: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: {} },
    rev: { type: Number, default: 0 },
    lastInboundId: { type: String, default: null },
    lastReplies: { type: Schema.Types.Mixed, default: [] },
    lastActivityAt: { type: Date, default: () => new Date() },
    pendingActions: { type: [{ label: String, payload: String, at: Date, _id: false }], default: [] },
  },
  { collection: 'conversations', versionKey: false, minimize: false },
);

export type ConversationModel = Model<ConversationDoc>;
export const conversationModel = (c: Connection): ConversationModel =>
  (c.models.Conversation as ConversationModel | undefined) ?? c.model<ConversationDoc>('Conversation', schema);
