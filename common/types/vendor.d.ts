// Type declarations for dependencies that ship none.

declare module 'newman' {
  // The part of newman's programmatic API that `npm run test:api` uses (newman ships no types).
  export interface NewmanRunOptions {
    collection: string | object;
    envVar?: Array<{ key: string; value: string }>;
    reporters?: string | string[];
    reporter?: Record<string, unknown>;
    timeoutRequest?: number;
    bail?: boolean;
  }
  export interface NewmanRunSummary {
    run: {
      stats: Record<
        'requests' | 'assertions' | 'testScripts',
        { total: number; failed: number; pending?: number }
      >;
      failures: Array<{
        error: { name: string; message: string; test?: string };
        source?: { name?: string };
      }>;
    };
  }
  /** What newman's `request` event carries: the request sent and the response received. */
  export interface NewmanRequestEventArgs {
    item: { name: string };
    request: { method: string; url: { toString(): string } };
    response?: {
      code: number;
      stream?: Buffer;
      headers: { all(): Array<{ key: string; value: string }> };
    };
  }
  export interface NewmanRun {
    on(event: 'request', listener: (error: Error | null, args: NewmanRequestEventArgs) => void): NewmanRun;
  }
  const newman: {
    run(
      options: NewmanRunOptions,
      callback: (error: Error | null, summary: NewmanRunSummary) => void,
    ): NewmanRun;
  };
  export default newman;
}
