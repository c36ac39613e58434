import * as z from 'zod/mini';
import type { HttpEvent } from '../../types/lambda.ts';
import { parseQuery, validQueryValue } from '../http-request.ts';
import { ValidationError } from '../../errors/app-errors.ts';

const Id = z.string().check(z.regex(/^P-\d+$/, 'must look like P-<digits>'));
const Query = z.object({ id: Id, page: z.optional(z.string()) });

const eventWith = (query: Record<string, string>, multi?: Record<string, string[]>): HttpEvent =>
  ({
    httpMethod: 'GET',
    queryStringParameters: query,
    multiValueQueryStringParameters:
      multi ?? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
  }) as unknown as HttpEvent;

const detailsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
};

describe('parseQuery', () => {
  it('returns exactly the declared parameters when every one is valid and given once', () => {
    expect(parseQuery(eventWith({ id: 'P-1' }), Query)).toEqual({ id: 'P-1' });
  });

  it('names unknown, repeated and invalid parameters in one error, in that order', () => {
    const event = eventWith(
      { id: 'P-1', zz: 'x', page: '2' },
      { id: ['P-1', 'P-2'], zz: ['x'], page: ['2'] },
    );
    expect(detailsOf(() => parseQuery(event, Query))).toEqual([
      { field: 'query', issue: 'unknown parameter: zz' },
      { field: 'id', issue: 'must be given exactly once' },
    ]);
    expect(detailsOf(() => parseQuery(eventWith({ id: 'bad' }), Query))).toEqual([
      { field: 'id', issue: 'must look like P-<digits>' },
    ]);
  });
});

describe('validQueryValue', () => {
  it('reads the value parseQuery accepted with the same schema', () => {
    const event = eventWith({ id: 'P-7' });
    parseQuery(event, Query);
    expect(validQueryValue(event, 'id', Id)).toBe('P-7');
  });

  it('validates again with any other schema, even after parseQuery accepted the event', () => {
    const event = eventWith({ id: 'P-7' });
    parseQuery(event, Query);
    const Stricter = z.string().check(z.regex(/^P-\d{3}$/));
    expect(validQueryValue(event, 'id', Stricter)).toBeUndefined();
  });

  it('describes a rejected request by its valid values only', () => {
    const event = eventWith({ id: 'bad', page: '3' });
    expect(() => parseQuery(event, Query)).toThrow(ValidationError);
    expect(validQueryValue(event, 'id', Id)).toBeUndefined();
    expect(validQueryValue(event, 'page', z.string())).toBe('3');
  });

  it('drops a value given more than once', () => {
    const event = eventWith({ id: 'P-1' }, { id: ['P-1', 'P-2'] });
    expect(validQueryValue(event, 'id', Id)).toBeUndefined();
  });
});
