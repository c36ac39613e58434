// The long-running dynalite process that `npm run dev:env` starts in the background.
// Usage: node infra-local/lite/dynalite-server.ts --port 8000 --path .local/dynamodb
import { parseArgs } from 'node:util';
import { startDynalite } from './stores.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string' },
  },
});
const server = await startDynalite({
  port: Number(values.port),
  host: values.host,
  ...(values.path ? { path: values.path } : {}),
});
process.stdout.write(
  `dynalite listening on ${server.endpoint}${values.path ? `, data in ${values.path}` : ''}\n`,
);

const shutdown = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
