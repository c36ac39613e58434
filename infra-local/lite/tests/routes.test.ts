import { RouteTable } from '../routes.ts';

const table = () =>
  new RouteTable([
    { path: '/config', method: 'GET', target: 'list' },
    { path: '/config/{key}', method: 'GET', target: 'get' },
    { path: '/config/{key}', method: 'PUT', target: 'put' },
    { path: '/config/{key}/history', method: 'GET', target: 'history' },
    { path: '/config/defaults', method: 'GET', target: 'defaults' },
    { path: '/{proxy+}', method: 'ANY', target: 'catch-all' },
    { path: '/files/{proxy+}', method: 'GET', target: 'files' },
  ]);

describe('RouteTable (API Gateway REST path matching)', () => {
  it.each([
    ['GET', '/config', 'list', null],
    ['GET', '/config/defaults', 'defaults', null],
    ['GET', '/config/max-retries', 'get', { key: 'max-retries' }],
    ['PUT', '/config/max%2Fretries', 'put', { key: 'max/retries' }],
    ['GET', '/config/a/history', 'history', { key: 'a' }],
    ['GET', '/files/a/b/c.txt', 'files', { proxy: 'a/b/c.txt' }],
    ['DELETE', '/anything/else', 'catch-all', { proxy: 'anything/else' }],
  ])('%s %s goes to %s with %p', (method, path, target, pathParameters) => {
    expect(table().match(method, path)).toEqual({
      kind: 'matched',
      route: expect.objectContaining({ target }),
      pathParameters,
    });
  });

  it('answers method-not-allowed with the methods of the most specific matching path', () => {
    expect(table().match('DELETE', '/config/x')).toEqual({
      kind: 'method-not-allowed',
      resource: '/config/{key}',
      allowed: ['GET', 'PUT'],
    });
  });

  it('answers not-found when no path matches', () => {
    const routes = new RouteTable([{ path: '/price', method: 'GET', target: 'price' }]);

    expect(routes.match('GET', '/price/extra')).toEqual({ kind: 'not-found' });
    expect(routes.match('GET', '/Price')).toEqual({ kind: 'not-found' });
    expect(routes.match('GET', '/')).toEqual({ kind: 'not-found' });
  });

  it.each([
    ['/config/{key}x', /whole segment/],
    ['/{proxy+}/more', /last segment/],
    ['config', /start with/],
  ])('refuses the template path %s', (path, message) => {
    expect(() => new RouteTable([{ path, method: 'GET', target: 'x' }])).toThrow(message);
  });

  it('refuses a route declared twice', () => {
    expect(
      () =>
        new RouteTable([
          { path: '/price', method: 'get', target: 'a' },
          { path: '/price', method: 'GET', target: 'b' },
        ]),
    ).toThrow(/declared twice/);
  });
});
