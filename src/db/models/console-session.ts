import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A signed-in staff web console. The cookie holds a random token; only its
 * sha256 is stored, so a database copy cannot be replayed as a session.
 */
export interface ConsoleSessionDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  /** The staff key that signed in; its role and province are re-read on every request, so revoking it ends the session. */
  keyId: Types.ObjectId;
  createdAt: Date;
  lastSeenAt: Date;
  /** Hard end regardless of activity. */
  expiresAt: Date;
}

export type ConsoleSessionModel = Model<ConsoleSessionDoc>;

const schema = new Schema<ConsoleSessionDoc>(
  {
    tokenHash: { type: String, required: true },
    keyId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'console_sessions', versionKey: false },
);
schema.index({ tokenHash: 1 }, { unique: true });
schema.index({ expiresAt: 1 });

export const consoleSessionModel = (connection: Connection): ConsoleSessionModel =>
  (connection.models.ConsoleSession as ConsoleSessionModel | undefined) ?? connection.model<ConsoleSessionDoc>('ConsoleSession', schema);
