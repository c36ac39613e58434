import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsError, forward, operationOf, readBody } from './dynamodb-wire.ts';

/**
 * An HTTP proxy in front of a DynamoDB endpoint (DynamoDB Local) that records, in order, the operation of every
 * request it forwards (`X-Amz-Target`, e.g. `DynamoDB_20120810.PutItem`) and how many connections clients
 * opened: what a function sends, and when, seen from the wire.
 */
export const recordingProxy = async (
  target: string,
  /** Operations answered with AccessDeniedException instead of being forwarded: a role missing that action. */
  { deny = [] }: { deny?: readonly string[] } = {},
): Promise<{
  endpoint: string;
  operations: () => string[];
  connections: () => number;
  close: () => Promise<void>;
}> => {
  const upstream = new URL(target);
  const operations: string[] = [];
  let connections = 0;
  const server = createServer((incoming, outgoing) => {
    const name = operationOf(incoming);
    operations.push(name);
    if (deny.includes(name)) {
      incoming.resume();
      awsError(outgoing, 400, 'AccessDeniedException', `not authorized to perform: dynamodb:${name}`);
      return;
    }
    void readBody(incoming)
      .then((body) => forward(upstream, incoming, body))
      .then((answer) => {
        outgoing.writeHead(answer.status, answer.headers);
        outgoing.end(answer.body);
      })
      .catch(() => outgoing.destroy());
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations: () => [...operations],
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
