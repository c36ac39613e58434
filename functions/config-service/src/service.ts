import type { AuditItem } from '#common/models/audit.ts';
import type { ConfigItem, ConfigKey } from '#common/models/config.ts';
import { CONFIG_KEYS, ConfigItemSchema, isConfigKey } from '#common/models/config.ts';
import { ValidationError } from '#common/errors/app-errors.ts';
import { detailsFromZod } from '#common/errors/zod-details.ts';
import { ConfigNotFoundError, VersionConflictError } from './errors.ts';
import { TtlCache } from '#common/utils/ttl-cache.ts';

export interface ConfigHistoryPage {
  /** Newest first. */
  items: ConfigItem[];
  /** True when older versions remain below the last item. */
  hasMore: boolean;
}

/** Per-call options: the request's abort signal, from its time budget. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** `written` also when an earlier attempt of this very request stored it and its answer was lost. */
export type PutVersionOutcome = 'written' | 'conflict';

/** The port to the config table, implemented by repository-config.ts. Versions are immutable. */
export interface ConfigRepository {
  /** The highest version of `key`, read strongly consistent; undefined when the key has none. */
  latest(key: ConfigKey, options?: CallOptions): Promise<ConfigItem | undefined>;
  /** Up to `limit` versions of `key`, newest first, all below version `before` when it is given. */
  history(
    key: ConfigKey,
    page: { limit: number; before?: number | undefined },
    options?: CallOptions,
  ): Promise<ConfigHistoryPage>;
  /**
   * Writes a new version together with its audit item, as one fact, unless that version already exists
   * (`conflict`: someone else wrote first).
   */
  putVersion(
    item: ConfigItem,
    requestId: string,
    options: CallOptions & { audit: AuditItem },
  ): Promise<PutVersionOutcome>;
  /** Read-only reachability check for the health check. */
  ping(): Promise<void>;
}

export interface ConfigUpdate {
  key: ConfigKey;
  value: unknown;
  /** The version the caller read: the write succeeds only if that is still the latest (0: none yet). */
  expectedVersion: number;
  /** The validated id of the person making the change. */
  userId: string;
  requestId: string;
  /** The SUCCESS audit item of the request, stored in the same transaction as the version. */
  audit: AuditItem;
}

/**
 * Business rules for configuration: keys come from the registry, values must fit the key's schema,
 * versions are consecutive and never overwritten (optimistic locking on `expectedVersion`). Latest
 * values are served from an in-container cache; a write through this container invalidates its entry.
 */
export class ConfigService {
  private readonly configs: ConfigRepository;
  private readonly cache: TtlCache<ConfigKey, ConfigItem | undefined>;
  private readonly now: () => Date;

  constructor(deps: {
    configs: ConfigRepository;
    cache?: TtlCache<ConfigKey, ConfigItem | undefined>;
    now?: () => Date;
  }) {
    this.configs = deps.configs;
    this.cache = deps.cache ?? new TtlCache({ ttlMs: 0 });
    this.now = deps.now ?? (() => new Date());
  }

  /** The registry key named `name`; a well-formed name the registry does not hold is a 404. */
  knownKey(name: string): ConfigKey {
    if (!isConfigKey(name)) throw new ConfigNotFoundError(`There is no configuration key ${name}.`);
    return name;
  }

  /**
   * The latest version of every key that has one, in registry order. One `Limit: 1` read per registry
   * key (in parallel, or from the cache), never a Scan: the cost is bounded by the registry's size and
   * does not grow with the number of versions stored.
   */
  async list(options: CallOptions = {}): Promise<ConfigItem[]> {
    const items = await Promise.all(CONFIG_KEYS.map((key) => this.latest(key, options)));
    return items.filter((item): item is ConfigItem => item !== undefined);
  }

  async get(key: ConfigKey, options: CallOptions = {}): Promise<ConfigItem> {
    const item = await this.latest(key, options);
    if (!item) throw new ConfigNotFoundError(`Configuration key ${key} has no value yet.`);
    return item;
  }

  /** Versions are read straight from the table: history is for audits, where staleness is not acceptable. */
  history(
    key: ConfigKey,
    page: { limit: number; before?: number | undefined },
    options: CallOptions = {},
  ): Promise<ConfigHistoryPage> {
    return this.configs.history(key, page, options);
  }

  /**
   * Writes version `expectedVersion + 1`. The check against the latest version keeps versions consecutive
   * (no gap from an expectedVersion that was never read); the conditional put settles a race between two
   * writers that both passed the check: exactly one of them creates the version, the other gets 409.
   */
  async update(change: ConfigUpdate, options: CallOptions = {}): Promise<ConfigItem> {
    const { key, expectedVersion } = change;
    const candidate = {
      key,
      value: change.value,
      version: expectedVersion + 1,
      updatedAt: this.now().toISOString(),
      updatedBy: change.userId,
    };
    const parsed = ConfigItemSchema.safeParse(candidate);
    if (!parsed.success) throw new ValidationError(detailsFromZod(parsed.error, candidate));
    const item = parsed.data;

    const current = await this.configs.latest(key, options);
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== expectedVersion) {
      // This container may have served the caller a stale version: make its next read fresh.
      this.cache.delete(key);
      throw new VersionConflictError(
        `Version ${expectedVersion} of ${key} was expected, but the current version is ${currentVersion}. Read it again and retry.`,
      );
    }
    let outcome: PutVersionOutcome;
    try {
      outcome = await this.configs.putVersion(item, change.requestId, { ...options, audit: change.audit });
    } finally {
      this.cache.delete(key);
    }
    if (outcome === 'conflict') {
      throw new VersionConflictError(
        `Version ${item.version} of ${key} was written by another request first. Read it again and retry.`,
      );
    }
    return item;
  }

  private async latest(key: ConfigKey, options: CallOptions): Promise<ConfigItem | undefined> {
    const cached = this.cache.get(key);
    if (cached) return cached.value;
    const item = await this.configs.latest(key, options);
    this.cache.set(key, item);
    return item;
  }
}
