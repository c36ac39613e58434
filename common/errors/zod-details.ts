import type * as z from 'zod/mini';
import type { ErrorDetail } from './app-errors.ts';

/** Parameter names are echoed back only when they look like names; anything else is not repeated. */
const PRINTABLE_NAME = /^[A-Za-z0-9_.-]{1,32}$/;
const MAX_NAMES_SHOWN = 5;

/** "unknown parameter: a, b", naming only the names that are safe to repeat back. */
export const unknownNames = (what: string, names: string[]): string => {
  const printable = names.filter((name) => PRINTABLE_NAME.test(name)).slice(0, MAX_NAMES_SHOWN);
  return `unknown ${what}${names.length > 1 ? 's' : ''}${printable.length > 0 ? `: ${printable.join(', ')}` : ''}`;
};

/**
 * Maps Zod issues to `{field, issue}`. Our schemas carry their own messages, which never quote input;
 * Zod's own message for unknown object keys quotes them, so it is replaced by one that names only
 * printable names. `root` names the field of an issue about the whole input.
 */
export const detailsFromZod = (error: z.core.$ZodError, input: unknown, root = 'request'): ErrorDetail[] => {
  const top = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const details = error.issues.map((issue): ErrorDetail => {
    const field = issue.path.map(String).join('.') || root;
    if (issue.code === 'unrecognized_keys') return { field, issue: unknownNames('field', issue.keys) };
    const missing =
      issue.code === 'invalid_type' && issue.path.length > 0 && top[String(issue.path[0])] === undefined;
    return { field, issue: missing ? 'is required' : issue.message };
  });
  // Two checks of one field can fail with the same wording (a pattern and a refinement): say it once.
  const seen = new Set<string>();
  return details.filter(({ field, issue }) => {
    const id = JSON.stringify([field, issue]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};
