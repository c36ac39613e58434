import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { awsError, forward, operationOf, readBody } from './dynamodb-wire.ts';

/**
 * How the store in front of which the proxy sits behaves:
 * - `up`: every request is forwarded;
 * - `down`: nothing listens (connections are refused), as when DynamoDB is unreachable;
 * - `hang`: connections are accepted and never answered, as a store that stops responding.
 */
export type StoreMode = 'up' | 'down' | 'hang';

/** What the proxy sees of one request: the DynamoDB operation and the raw JSON body. */
export interface ProxiedRequest {
  operation: string;
  body: string;
}

/**
 * A one-off fault on the requests that match:
 * - `lose-ack`: forward the request (DynamoDB does the work), then drop the connection (`drop`) or answer
 *   500 InternalServerError (`500`) instead of the real answer: the caller cannot know it was stored;
 * - `refuse`: answer 400 AccessDeniedException without forwarding, as DynamoDB does for a role that may not
 *   write that table;
 * - `throttle`: answer 400 ProvisionedThroughputExceededException without forwarding, with a `retry-after`
 *   header when `retryAfterSeconds` is given (the SDK then waits that long before its retry);
 * - `stall`: without forwarding, send a 200 status line, headers and the first byte of a body, then
 *   nothing more, as a store or a network path that stops mid-answer. The client's request timeout ends
 *   once headers arrive, so only a bound on the whole call can end this one.
 */
export interface FaultRule {
  match: (request: ProxiedRequest) => boolean;
  fault:
    | { kind: 'lose-ack'; how: 'drop' | '500' }
    | { kind: 'refuse' }
    | { kind: 'throttle'; retryAfterSeconds?: number }
    | { kind: 'stall' };
  /** How many matching requests get the fault; then the rule stops applying. Unlimited by default. */
  times?: number;
}

export interface FaultProxy {
  endpoint: string;
  port: number;
  setMode(mode: StoreMode): Promise<void>;
  /** Adds a rule; faults are applied in `up` mode only. */
  addRule(rule: FaultRule): void;
  /** Drops every rule and forgets the operations and faults seen so far. */
  reset(): void;
  /** The operations forwarded or faulted so far, in order (`PutItem`, `TransactWriteItems`, ...). */
  operations(): string[];
  /** How many requests each rule has faulted. */
  faulted(): number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a real DynamoDB Local that can take the store away (`down`), make it hang, lose
 * the acknowledgement of a request DynamoDB did carry out, or refuse chosen requests: the failures a
 * function must survive, on the wire, with the real store behind. It keeps its port across modes, so a
 * client's endpoint stays valid through an outage.
 */
export const startFaultProxy = async (target: string): Promise<FaultProxy> => {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const operations: string[] = [];
  let rules: Array<FaultRule & { used: number }> = [];
  let faulted = 0;
  let mode: StoreMode = 'up';

  const server = createServer((incoming, outgoing) => {
    if (mode === 'hang') {
      // Seen, never answered.
      operations.push(operationOf(incoming));
      return;
    }
    void (async () => {
      const body = await readBody(incoming);
      const seen: ProxiedRequest = { operation: operationOf(incoming), body: body.toString('utf8') };
      operations.push(seen.operation);
      const rule = rules.find(
        (candidate) =>
          (candidate.times === undefined || candidate.used < candidate.times) && candidate.match(seen),
      );
      if (rule) {
        rule.used += 1;
        faulted += 1;
      }
      if (rule?.fault.kind === 'refuse') {
        awsError(outgoing, 400, 'AccessDeniedException', 'User is not authorized to perform this action');
        return;
      }
      if (rule?.fault.kind === 'throttle') {
        const { retryAfterSeconds } = rule.fault;
        awsError(
          outgoing,
          400,
          'ProvisionedThroughputExceededException',
          'Rate of requests exceeds the allowed throughput',
          retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
        );
        return;
      }
      if (rule?.fault.kind === 'stall') {
        outgoing.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': '1024' });
        outgoing.write('{');
        return;
      }
      const answer = await forward(upstream, incoming, body);
      if (rule?.fault.kind === 'lose-ack') {
        if (rule.fault.how === 'drop') outgoing.socket?.destroy();
        else awsError(outgoing, 500, 'InternalServerError', 'Internal server error');
        return;
      }
      outgoing.writeHead(answer.status, answer.headers);
      outgoing.end(answer.body);
    })().catch(() => outgoing.socket?.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async setMode(next) {
      if (next === mode) return;
      const wasDown = mode === 'down';
      mode = next;
      if (next === 'down') await stopListening();
      else {
        // Leaving `hang`: the held connections end, as when a hung store is restarted.
        for (const socket of sockets) socket.destroy();
        if (wasDown) await listen(port);
      }
    },
    addRule(rule) {
      rules.push({ ...rule, used: 0 });
    },
    reset() {
      rules = [];
      operations.length = 0;
      faulted = 0;
    },
    operations: () => [...operations],
    faulted: () => faulted,
    close: stopListening,
  };
};
