import { Logger } from '@aws-lambda-powertools/logger';
import type { ConfigItem } from '../../models/config.ts';
import { CONFIG_RETRY_AFTER_FAILURE_MS, CachedConfig } from '../cached-config.ts';

const item = (key: ConfigItem['key'], value: unknown): ConfigItem =>
  ({ key, value, version: 2, updatedAt: '2026-12-01T00:00:00.000Z', updatedBy: 'admin' }) as ConfigItem;

/** A cache over a scripted table: `answer` says what the next reads return, `reads` counts them. */
const setUp = (ttlMs: number) => {
  let clock = 0;
  const state = { reads: 0, answer: (): Promise<ConfigItem | undefined> => Promise.resolve(undefined) };
  const cache = new CachedConfig({
    keys: ['maintenanceMode', 'priceCacheSeconds'],
    read: () => {
      state.reads += 1;
      return state.answer();
    },
    ttlMs,
    readTimeoutMs: 1000,
    logger: new Logger({ logLevel: 'SILENT' }),
    now: () => clock,
  });
  return { cache, state, advance: (ms: number) => (clock += ms) };
};

describe('CachedConfig: the switches a function obeys, read together and served for ttlMs', () => {
  it('reads every key once for requests that ask at the same time, and not again until ttlMs has passed', async () => {
    const { cache, state, advance } = setUp(60_000);
    state.answer = () => Promise.resolve(item('maintenanceMode', true));

    const [first, second] = await Promise.all([cache.values(), cache.values()]);

    expect(state.reads).toBe(2);
    expect(first).toBe(second);
    expect(first.maintenanceMode).toBe(true);
    advance(59_999);
    await cache.values();
    expect(state.reads).toBe(2);
    advance(1);
    await cache.values();
    expect(state.reads).toBe(4);
  });

  it('gives a key with no version its initial value', async () => {
    const { cache } = setUp(60_000);

    expect(await cache.values()).toEqual({ maintenanceMode: false, priceCacheSeconds: 60 });
  });

  it('after a failed read, keeps the last values and waits before reading again; never rejects', async () => {
    const { cache, state, advance } = setUp(60_000);
    state.answer = () => Promise.resolve(item('priceCacheSeconds', 5));
    await cache.values();
    advance(60_000);
    state.answer = () =>
      Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await expect(cache.values()).resolves.toMatchObject({ priceCacheSeconds: 5 });
    const readsAfterFailure = state.reads;
    advance(CONFIG_RETRY_AFTER_FAILURE_MS - 1);
    await cache.values();
    expect(state.reads).toBe(readsAfterFailure);
    advance(1);
    await cache.values();
    expect(state.reads).toBeGreaterThan(readsAfterFailure);
  });

  it('with ttlMs 0, reads on every call', async () => {
    const { cache, state } = setUp(0);

    await cache.values();
    await cache.values();

    expect(state.reads).toBe(4);
  });

  it('asks for the bound of a read only when a read is due', async () => {
    const { cache } = setUp(60_000);
    const signal = jest.fn(() => undefined);

    await cache.values(signal);
    await cache.values(signal);

    expect(signal).toHaveBeenCalledTimes(1);
  });

  it('ends a read that never answers at readTimeoutMs, whoever started it, and serves the last values', async () => {
    let signals: Array<AbortSignal | undefined> = [];
    const hanging = new CachedConfig({
      keys: ['maintenanceMode'],
      read: (_key, signal) =>
        new Promise((_, reject) => {
          signals = [...signals, signal];
          signal?.addEventListener('abort', () => reject(signal.reason));
        }),
      ttlMs: 60_000,
      readTimeoutMs: 50,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const started = Date.now();

    // The first caller passes no bound of its own (as the read at init); the second joins its read.
    const [first, joined] = await Promise.all([hanging.values(), hanging.values(() => undefined)]);

    expect(first).toEqual({ maintenanceMode: false });
    expect(joined).toBe(first);
    expect(signals).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
