import type { InvokeResult } from '../lambda-runtime.ts';
import type { ExecutionEnvironment } from '../lambda-pool.ts';
import { LambdaPool, PoolFullError } from '../lambda-pool.ts';

/** An execution environment whose invocations finish when the test says so. */
class ManualEnvironment implements ExecutionEnvironment {
  static created: ManualEnvironment[] = [];
  readonly id = ManualEnvironment.created.length + 1;
  readonly events: unknown[] = [];
  stopped = false;
  warmed = false;
  private pending: Array<() => void> = [];

  constructor() {
    ManualEnvironment.created.push(this);
  }

  invoke(event: unknown): Promise<InvokeResult> {
    this.events.push(event);
    return new Promise((resolve) => {
      this.pending.push(() => resolve({ ok: true, requestId: `${this.id}`, result: { servedBy: this.id } }));
    });
  }

  finishAll(): void {
    for (const finish of this.pending.splice(0)) finish();
  }

  /** Like LocalLambda: ready once the invocations already queued on this environment are done. */
  async warm(): Promise<void> {
    while (this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    this.warmed = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}

const pool = (maxSize = 2, maxQueued?: number) =>
  new LambdaPool({
    maxSize,
    ...(maxQueued === undefined ? {} : { maxQueued }),
    lambda: { codeDir: '/nowhere', handler: 'index.handler', env: {}, functionName: 'fake' },
    create: () => new ManualEnvironment(),
  });

const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  ManualEnvironment.created = [];
});

describe('LambdaPool', () => {
  it('reuses the warm environment for sequential invocations', async () => {
    const functions = pool();
    await functions.warm();

    for (const event of ['a', 'b', 'c']) {
      const invocation = functions.invoke(event);
      await settle();
      ManualEnvironment.created.at(-1)!.finishAll();
      await invocation;
    }

    expect(ManualEnvironment.created).toHaveLength(1);
    expect(ManualEnvironment.created[0]).toMatchObject({ warmed: true, events: ['a', 'b', 'c'] });
  });

  it('starts an environment per concurrent invocation up to maxSize, then queues in arrival order', async () => {
    const functions = pool(2);

    const invocations = ['a', 'b', 'c'].map((event) => functions.invoke(event));
    await settle();

    expect(ManualEnvironment.created.map((environment) => environment.events)).toEqual([['a'], ['b']]);
    expect(functions.stats()).toEqual({ environments: 2, busy: 2, queued: 1 });

    ManualEnvironment.created[1]!.finishAll();
    await settle();
    expect(ManualEnvironment.created[1]!.events).toEqual(['b', 'c']);

    ManualEnvironment.created[0]!.finishAll();
    ManualEnvironment.created[1]!.finishAll();
    expect(await Promise.all(invocations)).toHaveLength(3);
  });

  it('refuses at once with PoolFullError when every environment is busy and the queue is full, and serves again once it drains', async () => {
    const functions = pool(1, 2);

    const served = ['a', 'b', 'c'].map((event) => functions.invoke(event));
    const refused = functions.invoke('d');
    await settle();

    await expect(refused).rejects.toBeInstanceOf(PoolFullError);
    expect(functions.stats()).toEqual({ environments: 1, busy: 1, queued: 2 });
    for (let round = 0; round < 3; round += 1) {
      ManualEnvironment.created[0]!.finishAll();
      await settle();
    }
    expect(await Promise.all(served)).toHaveLength(3);
    const after = functions.invoke('e');
    await settle();
    ManualEnvironment.created[0]!.finishAll();
    expect(await after).toMatchObject({ ok: true });
  });

  it('on recycle, lets a busy environment finish on the old code, then stops it and serves from a new one', async () => {
    const functions = pool(1);
    const inFlight = functions.invoke('old');
    await settle();
    const old = ManualEnvironment.created[0]!;

    await functions.recycle();
    const next = functions.invoke('new');
    await settle();

    expect(old.stopped).toBe(false);
    expect(ManualEnvironment.created).toHaveLength(2);
    old.finishAll();
    expect(await inFlight).toMatchObject({ ok: true, result: { servedBy: old.id } });
    expect(old.stopped).toBe(true);
    ManualEnvironment.created[1]!.finishAll();
    expect(await next).toMatchObject({ ok: true, result: { servedBy: 2 } });
  });

  it('warm() waits for the environment a request started instead of starting another', async () => {
    const functions = pool();
    const invocation = functions.invoke('a');
    await settle();
    let warmed = false;
    const warming = functions.warm().then(() => {
      warmed = true;
    });
    await settle();
    await settle();

    expect(warmed).toBe(false);
    ManualEnvironment.created[0]!.finishAll();
    await warming;
    await invocation;
    expect(ManualEnvironment.created).toHaveLength(1);
    expect(ManualEnvironment.created[0]!.warmed).toBe(true);
  });

  it('stops idle environments at once on recycle', async () => {
    const functions = pool();
    await functions.warm();

    await functions.recycle();

    expect(ManualEnvironment.created[0]!.stopped).toBe(true);
    expect(functions.stats().environments).toBe(0);
  });

  it('on close, stops every environment and refuses queued and new invocations', async () => {
    const functions = pool(1);
    void functions.invoke('a');
    const queued = functions.invoke('b');
    await settle();

    await functions.close();

    await expect(queued).rejects.toThrow(/closed/);
    await expect(functions.invoke('c')).rejects.toThrow(/closed/);
    expect(ManualEnvironment.created[0]!.stopped).toBe(true);
  });
});
