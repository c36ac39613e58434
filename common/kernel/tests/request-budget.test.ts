import { SAFETY_MARGIN_MS, createRequestBudget } from '../request-budget.ts';

describe('the request budget', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const budgetOf = (remainingMs: number | undefined) =>
    createRequestBudget({ remainingMs, auditReserveMs: 2000, now: () => Date.now() });

  it('gives the work what is left after the margin and the audit reserve, and the audit its reserve', () => {
    const budget = budgetOf(5000);

    expect(budget.workMs()).toBe(5000 - SAFETY_MARGIN_MS - 2000);
    expect(budget.auditMs()).toBe(2000);
    jest.advanceTimersByTime(1500);
    expect(budget.workMs()).toBe(500);
    jest.advanceTimersByTime(1000);
    expect(budget.workMs()).toBe(0);
    // Nearer the deadline than its reserve: the audit gets only what is left before the margin.
    expect(budget.auditMs()).toBe(1500);
  });

  it('assumes Lambda’s default 3 s when the context cannot tell, leaving no work time past the reserve', () => {
    expect(budgetOf(undefined).workMs()).toBe(0);
    expect(budgetOf(undefined).auditMs()).toBe(2000);
  });

  it('aborts a signal with a TimeoutError when its share is spent, not before', () => {
    const budget = budgetOf(5000);
    const work = budget.workSignal();
    const audit = budget.auditSignal();

    jest.advanceTimersByTime(1999);
    expect([work.aborted, audit.aborted]).toEqual([false, false]);
    jest.advanceTimersByTime(1);
    expect([work.aborted, audit.aborted]).toEqual([true, true]);
    expect((work.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts at once (1 ms) when nothing is left, so a call fails instead of starting', () => {
    const budget = budgetOf(SAFETY_MARGIN_MS);
    const work = budget.workSignal();

    jest.advanceTimersByTime(1);
    expect(work.aborted).toBe(true);
  });

  it('end() clears every timer it started and aborts what is still running: nothing outlives the request', () => {
    const budget = budgetOf(5000);
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
    const budget = budgetOf(SAFETY_MARGIN_MS);
    const work = budget.workSignal();
    jest.advanceTimersByTime(1);

    budget.end();

    expect((work.reason as DOMException).name).toBe('TimeoutError');
  });
});
