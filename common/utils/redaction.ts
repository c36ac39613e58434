import { REDACTED, SENSITIVE_LOG_KEYS } from '../constants/logging.ts';

const normalise = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

/** True when `key` names a sensitive value (see SENSITIVE_LOG_KEYS for the matching rule). */
export const isSensitiveKey = (key: string, sensitive: readonly string[] = SENSITIVE_LOG_KEYS): boolean => {
  const candidate = normalise(key);
  return candidate.length > 0 && sensitive.some((name) => candidate.endsWith(normalise(name)));
};

/**
 * A `JSON.stringify` replacer that swaps the value of every sensitive key for `[REDACTED]`. JSON.stringify
 * calls it for every key at every depth (arrays, nested objects, the fields of a formatted Error), so one
 * replacer covers headers, multi-value headers, error causes and anything a caller appends.
 */
export const redactingReplacer =
  (sensitive: readonly string[] = SENSITIVE_LOG_KEYS) =>
  (key: string, value: unknown): unknown =>
    value !== undefined && isSensitiveKey(key, sensitive) ? REDACTED : value;
