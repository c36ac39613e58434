/** One line a function printed: the raw text, and the parsed object when the line is JSON. */
export interface CapturedLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json: Record<string, unknown> | undefined;
}

const parseLine = (text: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const startRecording = () => {
  const chunks: { stream: CapturedLine['stream']; text: string }[] = [];
  const record =
    (stream: CapturedLine['stream']) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push({ stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(record('stdout') as never);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(record('stderr') as never);
  return (): CapturedLine[] => {
    stdout.mockRestore();
    stderr.mockRestore();
    return chunks.flatMap(({ stream, text }) =>
      text
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => ({ stream, text: line, json: parseLine(line) })),
    );
  };
};

/**
 * Runs `act` while recording everything written to process.stdout and process.stderr, which is where
 * Powertools Logger (its own `Console`) and Metrics (EMF) print in Lambda. Nothing is passed through, so a
 * test sees exactly what CloudWatch would receive for the invocation.
 */
export const captureOutput = async <T>(
  act: () => Promise<T>,
): Promise<{ result: T; lines: CapturedLine[] }> => {
  const stop = startRecording();
  let result: T;
  try {
    result = await act();
  } catch (error) {
    stop();
    throw error;
  }
  return { result, lines: stop() };
};

/** captureOutput for synchronous code (a direct logger call). */
export const captureOutputSync = <T>(act: () => T): { result: T; lines: CapturedLine[] } => {
  const stop = startRecording();
  let result: T;
  try {
    result = act();
  } catch (error) {
    stop();
    throw error;
  }
  return { result, lines: stop() };
};

/** The EMF documents among captured lines (objects carrying `_aws.CloudWatchMetrics`). */
export const emfDocuments = (lines: CapturedLine[]): Record<string, unknown>[] =>
  lines.flatMap((line) => (line.json && '_aws' in line.json ? [line.json] : []));

/** The structured log lines (JSON objects with a `level`), EMF excluded. */
export const logLines = (lines: CapturedLine[]): Record<string, unknown>[] =>
  lines.flatMap((line) => (line.json && 'level' in line.json && !('_aws' in line.json) ? [line.json] : []));

/** The metric part of one EMF document: namespace, dimensions with their values, units and values by name. */
export interface EmfSummary {
  namespace: unknown;
  dimensions: unknown;
  units: Record<string, string>;
  values: Record<string, unknown>;
}

/** Summarises one EMF document (its first metric directive), for exact assertions on what was printed. */
export const summariseEmf = (doc: Record<string, unknown>): EmfSummary => {
  const directive = (
    doc._aws as {
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string; Unit: string }[];
      }[];
    }
  ).CloudWatchMetrics[0]!;
  const units = Object.fromEntries(directive.Metrics.map((metric) => [metric.Name, metric.Unit]));
  const values = Object.fromEntries(directive.Metrics.map((metric) => [metric.Name, doc[metric.Name]]));
  const dimensions = Object.fromEntries(directive.Dimensions.flat().map((name) => [name, doc[name]]));
  return { namespace: directive.Namespace, dimensions, units, values };
};

/** Every EMF document among captured lines, summarised. */
export const metricsPrinted = (lines: CapturedLine[]): EmfSummary[] => emfDocuments(lines).map(summariseEmf);

/**
 * What a request that counted one thing prints (a failure, a refusal, a change), summarised: `metric` once,
 * with the service and the local stage as dimensions.
 */
export const countedOnce = (service: string, metric: string): EmfSummary => ({
  namespace: 'PricingService',
  dimensions: { service, stage: 'local' },
  units: { [metric]: 'Count' },
  values: { [metric]: 1 },
});
