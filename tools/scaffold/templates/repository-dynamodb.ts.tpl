import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SourceUnavailableError } from '#common/errors/app-errors.ts';
import type { __Pascal__Item } from '#common/models/__name__.ts';
import { __Pascal__ItemSchema } from '#common/models/__name__.ts';
import type { __Pascal__Repository } from './service.ts';

export class Corrupt__Pascal__ItemError extends Error {
  constructor(cause: unknown) {
    super('A __name__ item failed validation', { cause });
    this.name = 'Corrupt__Pascal__ItemError';
  }
}

/** The only code that talks to the __name__ table. Every item read is validated before it leaves. */
export class Dynamo__Pascal__Repository implements __Pascal__Repository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  /** A table that cannot be read (down, throttled, missing, out of time) is a 503 SOURCE_UNAVAILABLE. */
  async findById(id: string, options: { signal?: AbortSignal } = {}): Promise<__Pascal__Item | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id } }), {
        abortSignal: options.signal,
      }));
    } catch (error) {
      throw new SourceUnavailableError(error);
    }
    if (!item) return undefined;
    const parsed = __Pascal__ItemSchema.safeParse(item);
    if (!parsed.success) throw new Corrupt__Pascal__ItemError(parsed.error);
    return parsed.data;
  }

  /** Read-only reachability check for the health check. */
  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }
}
