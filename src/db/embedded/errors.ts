/** A BSON document as the server handles it (values.ts names it Doc too). */
type Doc = Record<string, unknown>;

/** Server codes the driver and mongoose look at; names match mongod's codeName. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  Unauthorized: 13,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  OperationNotSupportedInTransaction: 263,
  UnsupportedOpQueryCommand: 352,
  DuplicateKey: 11000,
  // Codes without a name in mongod's table; the name is what FerretDB and mongod report.
  Location40234: 40234,
  Location40323: 40323,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Doc;

  constructor(codeName: ErrorCodeName, message: string, extra: Doc = {}) {
    super(message);
    this.code = ErrorCode[codeName];
    this.codeName = codeName;
    this.extra = extra;
  }

  /** Shape of a command-level failure reply. */
  toReply(): Doc {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** Shape of one entry in a write command's `writeErrors`. */
  toWriteError(index: number): Doc {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/** Anything thrown while running a command becomes a reply, never a crash. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // mingo reports bad operators and malformed expressions as plain errors.
  return new CommandError('BadValue', message);
}
