// The local issuer as a process of its own, for `npm run dev:env` (which leaves it running).
// Usage: node tools/local/identity/issuer-server.ts [--host 127.0.0.1] [--port 9400] [--key-file <path>]
import { parseArgs } from 'node:util';
import { DEFAULT_ISSUER_PORT, startLocalIssuer } from './issuer.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: String(DEFAULT_ISSUER_PORT) },
    'key-file': { type: 'string' },
  },
});
const issuer = await startLocalIssuer({
  host: values.host,
  port: Number(values.port),
  ...(values['key-file'] ? { keyFile: values['key-file'] } : {}),
});
process.stdout.write(`issuer listening on ${issuer.url}\n`);
const stop = () => void issuer.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
