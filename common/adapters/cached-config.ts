import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { MetricName } from '../constants/metrics.ts';
import type { ConfigItem, ConfigKey, ConfigValue } from '../models/config.ts';
import { ConfigRegistry } from '../models/config.ts';

/** After a failed read, the next attempt waits at most this long (or the cache's lifetime, if shorter). */
export const CONFIG_RETRY_AFTER_FAILURE_MS = 5000;

export type ConfigValuesOf<K extends ConfigKey> = { readonly [P in K]: ConfigValue<P> };

export interface CachedConfigOptions<K extends ConfigKey> {
  keys: readonly K[];
  /** Reads a key's latest version (common/adapters/config-table.ts), bounded by the given signal. */
  read: (key: K, signal: AbortSignal | undefined) => Promise<ConfigItem | undefined>;
  /** How long values are served before they are read again (CONFIG_CACHE_SECONDS); 0 reads every time. */
  ttlMs: number;
  /**
   * The longest one read may take, whoever started it (one DynamoDB attempt's time): requests that join a
   * read, and the read at init, which no request bounds, never wait longer for it.
   */
  readTimeoutMs: number;
  logger: Logger;
  metrics?: Metrics;
  now?: () => number;
}

/**
 * The configuration keys a function obeys (config-service owns and audits them), read together and served
 * from the container for at most `ttlMs`: a change reaches every container within that. Concurrent requests
 * share one read. When the table cannot be read (or holds a value today's schema refuses), the function
 * keeps going on the last values it read, or on the registry's initial values if it never read any, logs
 * a warning and counts ConfigUnavailable (alarmed on), and tries again after CONFIG_RETRY_AFTER_FAILURE_MS.
 * A key with no version yet has its initial value, as `npm run db:seed` would write it.
 */
export class CachedConfig<K extends ConfigKey> {
  private readonly options: CachedConfigOptions<K>;
  private readonly now: () => number;
  private current: ConfigValuesOf<K>;
  private expiresAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<ConfigValuesOf<K>> | undefined;

  constructor(options: CachedConfigOptions<K>) {
    this.options = options;
    this.now = options.now ?? (() => Date.now());
    this.current = Object.fromEntries(
      options.keys.map((key) => [key, ConfigRegistry[key].initial]),
    ) as unknown as ConfigValuesOf<K>;
  }

  /**
   * The values to obey now. `signal` (the request's budget) is asked for only when a read is due, so a
   * request served from the cache creates no timer. A read also ends at `readTimeoutMs`, whatever the
   * signal of the request that started it.
   */
  async values(signal?: () => AbortSignal | undefined): Promise<ConfigValuesOf<K>> {
    return this.cached() ?? this.read(signal);
  }

  /**
   * The values while they are fresh, without a promise: the warm path's check (`cached() ?? await
   * values(...)`) then costs no microtask; undefined when a read is due.
   */
  cached(): ConfigValuesOf<K> | undefined {
    return this.now() < this.expiresAt ? this.current : undefined;
  }

  private read(signal?: () => AbortSignal | undefined): Promise<ConfigValuesOf<K>> {
    this.reading ??= this.refresh(signal?.()).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async refresh(requestSignal: AbortSignal | undefined): Promise<ConfigValuesOf<K>> {
    const { keys, read, ttlMs, logger, metrics } = this.options;
    // Created once a read is due (at most once per ttlMs), so its cost stays off the cached path.
    const bound = AbortSignal.timeout(this.options.readTimeoutMs);
    const signal = requestSignal ? AbortSignal.any([requestSignal, bound]) : bound;
    try {
      const items = await Promise.all(keys.map((key) => read(key, signal)));
      this.current = Object.fromEntries(
        keys.map((key, index) => [key, items[index]?.value ?? ConfigRegistry[key].initial]),
      ) as unknown as ConfigValuesOf<K>;
      this.expiresAt = this.now() + ttlMs;
    } catch (error) {
      logger.warn('Configuration not readable; serving the last values read, or the initial ones', {
        errorName: (error as Error)?.name,
        keys,
      });
      metrics?.addMetric(MetricName.ConfigUnavailable, MetricUnit.Count, 1);
      this.expiresAt = this.now() + Math.min(ttlMs, CONFIG_RETRY_AFTER_FAILURE_MS);
    }
    return this.current;
  }
}
