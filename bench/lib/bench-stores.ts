import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { dynamoReachable } from '../../infra-local/lite/stores.ts';
import { seedDynamo } from '../../infra-local/seed/seed-dynamodb.ts';
import { seedSqlite } from '../../infra-local/seed/seed-sqlite.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The stores for benchmarks: dynalite in its own process (as DynamoDB is remote for a Lambda, its CPU is
 * not charged to the handler) and a node:sqlite file built from the seed SQL.
 */
export class BenchStores {
  readonly endpoint: string;
  readonly sqlitePath: string;
  private readonly child: ChildProcess;

  private constructor(endpoint: string, sqlitePath: string, child: ChildProcess) {
    this.endpoint = endpoint;
    this.sqlitePath = sqlitePath;
    this.child = child;
  }

  static async start(root: string, tables: { audit: string; config?: string }): Promise<BenchStores> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(root, 'infra-local', 'lite', 'dynalite-server.ts'), '--port', String(port)],
      {
        stdio: 'ignore',
      },
    );
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (!(await dynamoReachable(endpoint))) {
      if (Date.now() > deadline) throw new Error('dynalite did not start for the bench');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await seedDynamo(endpoint, tables);
    const sqlitePath = join(root, 'bench', '.tmp', 'price.db');
    seedSqlite(root, sqlitePath);
    return new BenchStores(endpoint, sqlitePath, child);
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
  }
}
