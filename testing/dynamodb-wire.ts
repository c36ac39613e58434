import { request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The DynamoDB operation of a request, from `X-Amz-Target` (`DynamoDB_20120810.PutItem` → `PutItem`). */
export const operationOf = (incoming: IncomingMessage): string =>
  String(incoming.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');

export const readBody = (incoming: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(Buffer.concat(chunks)));
    incoming.once('error', reject);
  });

/** Answers as DynamoDB does when it refuses a request: a JSON error body and `x-amzn-errortype`. */
export const awsError = (
  outgoing: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void => {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  outgoing.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    ...headers,
  });
  outgoing.end(body);
};

export interface UpstreamAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Sends a request the proxy received (its method, path, headers and the body already read) on to `upstream`. */
export const forward = (upstream: URL, incoming: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> =>
  new Promise((resolve, reject) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        void readBody(response).then(
          (responseBody) =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }),
          reject,
        );
      },
    );
    forwarded.once('error', reject);
    forwarded.end(body);
  });
