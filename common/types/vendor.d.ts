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
  const newman: {
    run(
      options: NewmanRunOptions,
      callback: (error: Error | null, summary: NewmanRunSummary) => void,
    ): unknown;
  };
  export default newman;
}
