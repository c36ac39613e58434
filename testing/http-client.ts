import { request } from 'node:http';

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined by Node's rules (set-cookie stays an array). */
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
  text: string;
  json: () => unknown;
}

/**
 * A plain HTTP/1.1 request with full control of what goes on the wire: raw paths (`/a/%zz`), repeated
 * headers, any method. fetch() normalises too much of that for these tests.
 */
export const httpRequest = (
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Array<[string, string]>; body?: Buffer | string } = {},
): Promise<HttpResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    // With headers given as a raw list, Node adds no Host header: HTTP/1.1 requires one.
    const given = options.headers ?? [];
    const withHost = given.some(([name]) => name.toLowerCase() === 'host')
      ? given
      : [['Host', url.host], ...given];
    const flatHeaders = withHost.flat();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path,
        headers:
          options.body === undefined
            ? flatHeaders
            : [...flatHeaders, 'Content-Length', String(Buffer.byteLength(options.body))],
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
