import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenApiContract } from '#testing/openapi-contract.ts';

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { method: string; url: { raw: string } };
}

/** The folder of requests that test the gateway itself: unknown routes, wrong methods, CORS preflights. */
const GATEWAY_FOLDER = 'API Gateway behaviour';

const collection = JSON.parse(
  readFileSync(join(process.cwd(), 'infra-local', 'postman', 'pricing-api.postman_collection.json'), 'utf8'),
) as { item: PostmanItem[] };

const requestsOf = (
  items: PostmanItem[],
  folder = '',
): Array<{ folder: string; name: string; method: string; path: string }> =>
  items.flatMap((item) =>
    item.item
      ? requestsOf(item.item, item.name)
      : [
          {
            folder,
            name: item.name,
            method: item.request!.method.toLowerCase(),
            path: item.request!.url.raw.replace('{{baseUrl}}', '').split('?')[0]!,
          },
        ],
  );

describe('the Postman collection against openapi.json', () => {
  const contract = new OpenApiContract();
  const requests = requestsOf(collection.item);

  it('requests every documented operation at least once', () => {
    const requested = new Set(
      requests.map((request) => `${request.method} ${contract.templateOf(request.path)}`),
    );
    const documented = Object.entries(contract.document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );

    expect(documented.filter((operation) => !requested.has(operation))).toEqual([]);
  });

  it('requests no route outside the document, except the gateway tests of unknown routes and methods', () => {
    const undocumented = requests
      .filter((request) => request.folder !== GATEWAY_FOLDER)
      .filter((request) => {
        const template = contract.templateOf(request.path);
        return !template || !contract.document.paths[template]?.[request.method];
      })
      .map((request) => `${request.name}: ${request.method.toUpperCase()} ${request.path}`);

    expect(undocumented).toEqual([]);
  });
});
