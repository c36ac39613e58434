import { ANSWER_ALLOWANCE_MS, SAFETY_MARGIN_MS, createRequestBudget } from '../request-budget.ts';

describe('the request budget', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** What every request keeps back from its deadline: the margin, and the time to answer after an abort. */
  const KEPT = SAFETY_MARGIN_MS + ANSWER_ALLOWANCE_MS;
  const budgetOf = (remainingMs: number | undefined) =>
    createRequestBudget({ remainingMs, auditReserveMs: 2000, now: () => Date.now() });

  it('gives the work what is left after the margin and the audit reserve, and the audit its reserve', () => {
    const budget = budgetOf(KEPT + 4000);

    expect(budget.workMs()).toBe(2000);
    expect(budget.auditMs()).toBe(2000);
    jest.advanceTimersByTime(1500);
    expect(budget.workMs()).toBe(500);
    jest.advanceTimersByTime(1000);
    expect(budget.workMs()).toBe(0);
    // Nearer the deadline than its reserve: the audit gets only what is left before what is kept.
    expect(budget.auditMs()).toBe(1500);
  });

  it('assumes Lambda’s default 3 s when the context cannot tell, leaving no work time past the reserve', () => {
    expect(budgetOf(undefined).workMs()).toBe(0);
    expect(budgetOf(undefined).auditMs()).toBe(3000 - KEPT);
  });

  it('aborts a signal with a TimeoutError when its share is spent, not before', () => {
    const budget = budgetOf(KEPT + 4000);
    const work = budget.workSignal();
    jest.advanceTimersByTime(1999);
    expect(work.aborted).toBe(false);
    // The work overran its share: less than the audit's reserve is left, 1.5 s.
    jest.advanceTimersByTime(501);
    expect(work.aborted).toBe(true);
    expect((work.reason as DOMException).name).toBe('TimeoutError');
    const audit = budget.auditSignal();

    jest.advanceTimersByTime(1499);
    expect(audit.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(audit.aborted).toBe(true);
    expect((audit.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts at once (1 ms) when nothing is left, so a call fails instead of starting', () => {
    const budget = budgetOf(KEPT);
    const work = budget.workSignal();

    jest.advanceTimersByTime(1);
    expect(work.aborted).toBe(true);
  });

  it('end() clears every timer it started and aborts what is still running: nothing outlives the request', () => {
    const budget = budgetOf(KEPT + 4000);
    const signals = [budget.workSignal(), budget.workSignal(), budget.auditSignal()];
    expect(jest.getTimerCount()).toBe(3);

    budget.end();
    jest.advanceTimersByTime(60_000);

    expect(jest.getTimerCount()).toBe(0);
    expect(signals.map((signal) => (signal.reason as DOMException | undefined)?.name)).toEqual([
      'AbortError',
      'AbortError',
      'AbortError',
    ]);
  });

  it('end() leaves a signal that already timed out as it was', () => {
    const budget = budgetOf(KEPT);
    const work = budget.workSignal();
    jest.advanceTimersByTime(1);

    budget.end();

    expect((work.reason as DOMException).name).toBe('TimeoutError');
  });
});
