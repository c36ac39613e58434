import { TtlCache } from '../ttl-cache.ts';

/** A clock the test moves by hand. */
const manualClock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('TtlCache', () => {
  it('serves an entry until its TTL has passed, then forgets it', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ ttlMs: 30_000, now: clock.now });
    cache.set('a', 1);

    clock.advance(29_999);
    const fresh = cache.get('a');
    clock.advance(1);
    const expired = cache.get('a');

    expect(fresh).toEqual({ value: 1 });
    expect(expired).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('caches a miss (undefined) as distinct from no entry', () => {
    const cache = new TtlCache<string, number | undefined>({ ttlMs: 1000 });
    cache.set('missing', undefined);

    expect(cache.get('missing')).toEqual({ value: undefined });
    expect(cache.get('never-set')).toBeUndefined();
  });

  it('with a TTL of 0 stores nothing', () => {
    const cache = new TtlCache<string, number>({ ttlMs: 0 });
    cache.set('a', 1);

    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('delete and clear invalidate at once', () => {
    const cache = new TtlCache<string, number>({ ttlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);

    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual({ value: 2 });
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
  });

  it('setting again restarts the TTL', () => {
    const clock = manualClock();
    const cache = new TtlCache<string, number>({ ttlMs: 1000, now: clock.now });
    cache.set('a', 1);
    clock.advance(900);
    cache.set('a', 2);
    clock.advance(900);

    expect(cache.get('a')).toEqual({ value: 2 });
  });

  it('evicts the oldest entries beyond maxEntries', () => {
    const cache = new TtlCache<number, number>({ ttlMs: 1000, maxEntries: 3 });
    for (let key = 1; key <= 5; key += 1) cache.set(key, key);

    expect(cache.size).toBe(3);
    expect([1, 2, 3, 4, 5].map((key) => cache.get(key)?.value)).toEqual([undefined, undefined, 3, 4, 5]);
  });
});
