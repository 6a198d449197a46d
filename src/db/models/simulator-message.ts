import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { OutMessage } from '../../messaging/types.js';

/** The simulator's chat history, so the page can poll for messages the bot sends later. */
export interface SimulatorMessageDoc {
  _id: Types.ObjectId;
  chatId: string;
  direction: 'in' | 'out';
  display?: string;
  message?: OutMessage;
  at: Date;
}

const schema = new Schema<SimulatorMessageDoc>(
  {
    chatId: { type: String, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    display: { type: String },
    message: { type: Schema.Types.Mixed },
    at: { type: Date, default: () => new Date() },
  },
  { collection: 'simulator_messages', versionKey: false },
);
schema.index({ chatId: 1, _id: 1 });

export type SimulatorMessageModel = Model<SimulatorMessageDoc>;
export const simulatorMessageModel = (c: Connection): SimulatorMessageModel =>
  (c.models.SimulatorMessage as SimulatorMessageModel | undefined) ??
  c.model<SimulatorMessageDoc>('SimulatorMessage', schema);
