/**
 * Time is a budget, spent from the Lambda deadline backwards (docs/compliance.md, "Time budget"):
 * - SAFETY_MARGIN_MS before the deadline, the answer and its audit attempt are done;
 * - before that, the audit write keeps a reserve of its own (`auditReserveMs`);
 * - the function's own work (Oracle, config reads and writes) gets what remains, never more.
 * A store that hangs therefore costs at most its share, and the request still ends in an answer.
 */
export const SAFETY_MARGIN_MS = 1000;

/**
 * A share ends this long before the margin, so that a call aborted at the end of its share still has its
 * 503 built and its audit attempt settled before the margin, with room for a busy event loop (a hung store
 * under a 3 s deadline answered with 998 ms left when shares ended at the margin itself).
 */
export const ANSWER_ALLOWANCE_MS = 200;

/** DynamoDB attempts per call (the first and one retry): a retry hides a dropped connection. */
export const DYNAMODB_MAX_ATTEMPTS = 2;

/**
 * The SDK's backoff before a retry after a timeout or a 5xx stays below this (25 ms base for DynamoDB,
 * jittered). After throttling it can be longer (1 s base, plus any retry-after hint): the budget's abort
 * signal cuts that wait, since the SDK's retry races it with the signal.
 */
const RETRY_BACKOFF_ALLOWANCE_MS = 250;

/** The longest one DynamoDB call can take: every attempt hits its request timeout, plus the backoff. */
export const dynamoCallBoundMs = (requestTimeoutMs: number): number =>
  DYNAMODB_MAX_ATTEMPTS * requestTimeoutMs + RETRY_BACKOFF_ALLOWANCE_MS;

/** When the Lambda context cannot tell (a direct call in a script), assume Lambda's default 3 s. */
const UNKNOWN_REMAINING_MS = 3000;

export interface RequestBudget {
  /** Milliseconds left for the function's own work: the audit reserve and the safety margin are kept. */
  workMs(): number;
  /** Milliseconds the audit write may take: its reserve, or less if the deadline is nearer. */
  auditMs(): number;
  /** Aborts the function's own store calls when its share is spent. */
  workSignal(): AbortSignal;
  /**
   * Aborts the audit write when its share is spent. Always given, even while the whole reserve is left: the
   * client's own timers bound each attempt, but not the backoff before a retry (1 s base after throttling,
   * and a server's retry-after hint adds up to 5 s); the SDK's retry races that sleep with this signal.
   */
  auditSignal(): AbortSignal;
  /**
   * The backstop for what no signal bounds (a defect, or a driver that cannot be interrupted): `work` raced
   * with a timer that rejects with WorkShareSpentError half an answer allowance after the work share ends
   * (and never sooner than that half allowance), so the budget's own aborts answer first, and the audit write
   * still has its reserve. Without a known deadline (no Lambda context), `work` itself.
   */
  bound<T>(work: Promise<T>): Promise<T>;
  /**
   * Ends the budget with the request: clears its timers, and aborts every signal not yet aborted, so a call
   * still running (a sibling of a read that failed) cannot outlive its request.
   */
  end(): void;
}

/** The request's work was still running past its share: a defect, or a call no signal could interrupt. */
export class WorkShareSpentError extends Error {
  constructor() {
    super('The handler was still running when its work share ended');
    // A literal: the production build does not keep class names.
    this.name = 'WorkShareSpentError';
  }
}

/**
 * The reason `end()` gives a signal it aborts. One instance for every request, frozen (its stack is this
 * module's load, not a request's): a DOMException records its stack when built, which on the warm path
 * cost more than the rest of the abort.
 */
const REQUEST_ENDED = Object.freeze(new DOMException('The request has ended', 'AbortError'));

/**
 * A signal that aborts in `ms` with a TimeoutError, as `AbortSignal.timeout` does, but on a timer `end()` can
 * clear. `AbortSignal.timeout` cannot be cancelled: each one fires seconds after its request, costing about
 * 18 µs of CPU per signal here (create and fire), against about 1 µs for a controller whose timer is cleared.
 */
const timedSignal = (
  ms: number,
  started: Array<{ controller: AbortController; timer: NodeJS.Timeout }>,
): AbortSignal => {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The request budget is spent', 'TimeoutError')),
    ms,
  );
  timer.unref();
  started.push({ controller, timer });
  return controller.signal;
};

/** A request's budget, from the time Lambda says remains and the audit write's reserve. */
export const createRequestBudget = (options: {
  remainingMs: number | undefined;
  /** What the audit write keeps of every request's time: its attempts' bound (`dynamoCallBoundMs`). */
  auditReserveMs: number;
  now?: () => number;
}): RequestBudget => {
  const now = options.now ?? (() => Date.now());
  const finishBy =
    now() + (options.remainingMs ?? UNKNOWN_REMAINING_MS) - SAFETY_MARGIN_MS - ANSWER_ALLOWANCE_MS;
  const left = () => Math.max(0, finishBy - now());
  const workMs = () => Math.max(0, left() - options.auditReserveMs);
  const auditMs = () => Math.min(options.auditReserveMs, left());
  const started: Array<{ controller: AbortController; timer: NodeJS.Timeout }> = [];
  let backstop: NodeJS.Timeout | undefined;
  // A zero timeout still lets the SDK start; 1 ms makes "nothing left" fail at once instead.
  return {
    workMs,
    auditMs,
    workSignal: (maxMs = Number.POSITIVE_INFINITY) =>
      timedSignal(Math.max(1, Math.min(workMs(), maxMs)), started),
    auditSignal: () => timedSignal(Math.max(1, auditMs()), started),
    bound: (work) => {
      if (options.remainingMs === undefined) return work;
      const spent = new Promise<never>((_, reject) => {
        backstop = setTimeout(() => reject(new WorkShareSpentError()), workMs() + ANSWER_ALLOWANCE_MS / 2);
        backstop.unref();
      });
      return Promise.race([work, spent]);
    },
    end: () => {
      clearTimeout(backstop);
      for (const { controller, timer } of started.splice(0)) {
        clearTimeout(timer);
        if (!controller.signal.aborted) controller.abort(REQUEST_ENDED);
      }
    },
  };
};
