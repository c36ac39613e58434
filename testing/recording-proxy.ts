import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const operation = String(incoming.headers['x-amz-target'] ?? '');
    const name = operation.replace(/^DynamoDB_\d+\./, '');
    operations.push(name);
    if (deny.includes(name)) {
      incoming.resume();
      outgoing.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      outgoing.end(
        JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          message: `not authorized to perform: dynamodb:${name}`,
        }),
      );
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
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
