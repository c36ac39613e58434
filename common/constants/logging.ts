/**
 * Keys whose values never reach a log line, at any depth of a logged object (headers, errors, nested
 * attributes). Matching ignores case, `-` and `_`, and also catches compound keys that end with one of these
 * (`Proxy-Authorization`, `set-cookie`, `access_token`, `db_password`, `patientName`), because a false
 * positive costs a redacted field while a false negative is a reportable leak.
 */
export const SENSITIVE_LOG_KEYS = [
  'authorization',
  'cookie',
  'x-api-key',
  'password',
  'token',
  'ssn',
  'patient_name',
] as const;

/** What a redacted value is replaced with: the key stays, so a reader knows the field was present. */
export const REDACTED = '[REDACTED]';
