import type { AuditItem } from '#common/models/audit.ts';

/** What the caller saw for one request: the audit trail must agree with it. */
export interface ObservedResponse {
  requestId: string;
  statusCode: number;
  /**
   * The audit status the response must leave when its HTTP status alone does not say (a 404 for a route the
   * function does not serve is REJECTED, a 404 for a missing resource NOT_FOUND). Default: by HTTP status.
   */
  auditStatus?: AuditItem['status'];
}

export interface Reconciliation {
  expected: number;
  found: number;
  missing: string[];
  duplicated: string[];
  /** Items whose status or HTTP status disagrees with the response the caller got. */
  mismatched: { requestId: string; expected: string; actual: string }[];
  /** Items in scope that belong to no request of the run. */
  unexpected: string[];
  ok: boolean;
}

/** The audit status a response must leave behind (the error classes' auditStatus, by HTTP status). */
export const expectedAuditStatus = (statusCode: number): AuditItem['status'] => {
  if (statusCode < 400) return 'SUCCESS';
  if (statusCode === 404) return 'NOT_FOUND';
  if (statusCode < 500) return 'REJECTED';
  return 'ERROR';
};

/**
 * Checks the audit trail against what callers saw: exactly one item per request, none extra, each with the
 * response's HTTP status and the matching audit status. `items` is every item of the run (the caller scopes
 * them, e.g. by correlation id). Shared by the property tests, the fault tests and `npm run test:load`.
 */
export const reconcileAudit = (
  items: Pick<AuditItem, 'requestId' | 'status' | 'httpStatus'>[],
  responses: ObservedResponse[],
): Reconciliation => {
  const byRequest = new Map<string, Pick<AuditItem, 'requestId' | 'status' | 'httpStatus'>[]>();
  for (const item of items) byRequest.set(item.requestId, [...(byRequest.get(item.requestId) ?? []), item]);
  const missing: string[] = [];
  const duplicated: string[] = [];
  const mismatched: Reconciliation['mismatched'] = [];
  const seen = new Set<string>();
  for (const response of responses) {
    seen.add(response.requestId);
    const found = byRequest.get(response.requestId) ?? [];
    if (found.length === 0) missing.push(response.requestId);
    if (found.length > 1) duplicated.push(response.requestId);
    const [item] = found;
    if (!item) continue;
    const expected = `${response.auditStatus ?? expectedAuditStatus(response.statusCode)}/${response.statusCode}`;
    const actual = `${item.status}/${item.httpStatus}`;
    if (expected !== actual) mismatched.push({ requestId: response.requestId, expected, actual });
  }
  const unexpected = [...byRequest.keys()].filter((requestId) => !seen.has(requestId));
  return {
    expected: responses.length,
    found: items.length,
    missing,
    duplicated,
    mismatched,
    unexpected,
    ok: missing.length + duplicated.length + mismatched.length + unexpected.length === 0,
  };
};
