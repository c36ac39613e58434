import type { __Pascal__Item } from '#common/models/__name__.ts';
import { NotFoundError } from '#common/errors/app-errors.ts';

/** The port to __name__'s items, implemented by repository-dynamodb.ts. */
export interface __Pascal__Repository {
  /** `signal` aborts the read when the request's work budget is spent. */
  findById(id: string, options?: { signal?: AbortSignal }): Promise<__Pascal__Item | undefined>;
}

/** Business rules of __name__. Pure logic over the repository port; built once per container. */
export class __Pascal__Service {
  private readonly items: __Pascal__Repository;

  constructor(deps: { items: __Pascal__Repository }) {
    this.items = deps.items;
  }

  async get(id: string, options: { signal?: AbortSignal } = {}): Promise<__Pascal__Item> {
    const item = await this.items.findById(id, options);
    if (!item) throw new NotFoundError(`No __name__ item exists with id ${id}.`);
    return item;
  }
}
