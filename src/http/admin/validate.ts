import { z } from 'zod';
import { ApiError } from './admin-errors.js';

export type InputLocation = 'body' | 'query' | 'params';

/**
 * The field a zod issue is about, as the client named it. An unknown query key
 * such as `limit[$gt]` (the simple query parser keeps brackets literally) names
 * its field `limit`: that is what the client tried to filter on.
 */
function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const base = key?.split('[')[0];
    return [...issue.path.map(String), base || key].filter(Boolean).join('.') || undefined;
  }
  return issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
}

function messageOf(issue: z.core.$ZodIssue, location: InputLocation): string {
  if (issue.code === 'unrecognized_keys') {
    const what = location === 'query' ? 'query parameter or operator' : 'field';
    return `unknown ${what}: ${issue.keys.join(', ')}`;
  }
  return issue.message;
}

/** 400 `validation_failed` naming the first offending field. */
export function validationError(error: z.ZodError, location: InputLocation): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError(400, 'validation_failed', `invalid ${location}`);
  const field = fieldOf(issue);
  return new ApiError(400, 'validation_failed', messageOf(issue, location), field === undefined ? {} : { field });
}

/** Parses `value` with `schema` or throws the 400 the admin error handler renders. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation): z.output<S> {
  if (location === 'body' && value === undefined) {
    throw new ApiError(400, 'validation_failed', 'expected a JSON object body (Content-Type: application/json)');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, location);
  return parsed.data;
}

export const parseBody = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => parseInput(schema, value, 'body');
export const parseQuery = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => parseInput(schema, value, 'query');
export const parseParams = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => parseInput(schema, value, 'params');

/** Building blocks route modules share, so the same field is validated and documented the same way. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'expected a 24-character hex id');
export const provinceCode = z.string().regex(/^\d{2}$/, 'expected a 2-digit province code such as 08').describe('2-digit province code');
/** Dates leave the API as ISO strings (JSON.stringify of a Date). */
export const isoDate = z.string().meta({ format: 'date-time' });
