export interface SmokeResult {
  ok: boolean;
  detail: string;
}

/**
 * Judges a function's answer to `{"health_check": true}`: it must be an object with a statusCode below 500.
 * Anything else (no statusCode, a 5xx) counts as a failure, because a healthy function always answers one.
 */
export function judgeHealthResponse(payload: unknown): SmokeResult {
  const statusCode = (payload as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode !== 'number') {
    return {
      ok: false,
      detail: `unexpected health-check response: ${JSON.stringify(payload)?.slice(0, 200)}`,
    };
  }
  const body = (payload as { body?: unknown }).body;
  const summary = `statusCode ${statusCode}${typeof body === 'string' ? ` ${body.slice(0, 200)}` : ''}`;
  return statusCode >= 500 ? { ok: false, detail: summary } : { ok: true, detail: summary };
}
