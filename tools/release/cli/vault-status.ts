import { parseArgs } from 'node:util';
import { out, runCli, vaultFrom } from '../cli-support.ts';
import { collectStatus, formatStatus } from '../status.ts';

// npm run vault:status [-- --bucket b] [--json]
runCli(async () => {
  const { values } = parseArgs({ options: { bucket: { type: 'string' }, json: { type: 'boolean' } } });
  const statuses = await collectStatus(vaultFrom({ bucket: values.bucket }));
  out(values.json ? JSON.stringify(statuses, null, 2) : formatStatus(statuses));
});
