// The command fields FerretDB 1.24.2 refuses before it runs a command.

import { CommandError } from './errors.js';
import { formatValue, type Doc } from './values.js';

/** How FerretDB's field-by-field parser treats the fields this project must not rely on. */
interface StrictParams {
  /** The name FerretDB puts in "unknown field" messages (findandmodify is reported as findAndModify). */
  name: string;
  /** Fields the parser does not declare: FailedToParse. */
  unknown: ReadonlySet<string>;
  /** Fields declared but not implemented: NotImplemented whatever the value, even null or `{}`. */
  unimplemented: ReadonlySet<string>;
}

const TRANSACTION_FIELDS = ['txnNumber', 'startTransaction', 'autocommit'] as const;

function strict(name: string, declaredTransactionFields: readonly string[], unimplemented: readonly string[] = []): StrictParams {
  return {
    name,
    unknown: new Set(TRANSACTION_FIELDS.filter((f) => !declaredTransactionFields.includes(f))),
    unimplemented: new Set(unimplemented),
  };
}

/**
 * FerretDB has no multi-document transactions, and what a transaction's
 * commands get back depends on which fields each command's parser declares
 * (internal/handler/common/*.go): `find` ignores `startTransaction` and
 * `autocommit` and so runs outside any transaction, `update` ignores
 * `autocommit` (a later update in a transaction is applied at once and stays
 * applied after an abort), while insert, delete and findAndModify do not know
 * `startTransaction`/`autocommit`, and count and distinct not even `txnNumber`:
 * FailedToParse. Commands missing from this table ignore all three fields on
 * FerretDB and here. `commitTransaction`/`abortTransaction` do not exist there
 * (CommandNotFound), so they are not handlers here either.
 *
 * Only these fields are checked. FerretDB refuses more (`collation`, `let`,
 * `arrayFilters` …), which the embedded server still accepts.
 */
const STRICT: Record<string, StrictParams> = {
  insert: strict('insert', ['txnNumber']),
  update: strict('update', ['txnNumber', 'autocommit']),
  delete: strict('delete', ['txnNumber']),
  find: strict('find', TRANSACTION_FIELDS),
  // FerretDB cannot project inside findAndModify (mongoose: findOneAndUpdate with `projection`, or a `select: false` path).
  findAndModify: strict('findAndModify', ['txnNumber'], ['fields']),
  findandmodify: strict('findAndModify', ['txnNumber'], ['fields']),
  count: strict('count', []),
  distinct: strict('distinct', []),
};

/** FerretDB's reply to a declared but unimplemented field (its value is printed in Go syntax there). */
export function unimplementedField(command: string, field: string, value: unknown): CommandError {
  return new CommandError('NotImplemented', `${command}: support for field "${field}" with value ${formatValue(value)} is not implemented yet`);
}

/**
 * Refuses the first listed field in the order the command carries them, as
 * FerretDB's parser walks the document and stops at the first problem.
 */
export function checkStrictParams(cmd: Doc): void {
  const command = Object.keys(cmd)[0] as string;
  const rules = Object.hasOwn(STRICT, command) ? STRICT[command] : undefined;
  if (!rules) return;
  for (const field of Object.keys(cmd)) {
    if (rules.unknown.has(field)) throw new CommandError('FailedToParse', `${rules.name}: unknown field "${field}"`);
    if (rules.unimplemented.has(field)) throw unimplementedField(command, field, cmd[field]);
  }
}
