import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's ephemeral range, where `listen(0)` and outgoing connections take their ports. A port picked
 * below it cannot be handed to another test's `listen(0)` between our check and the child's bind: that is
 * the close-then-bind race of "listen on 0, close, pass the number on".
 */
const ephemeralRange = (): [number, number] => {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return [Number(low), Number(high)];
  } catch {
    return [49152, 65535]; // IANA's range, which macOS and Windows use
  }
};

const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A TCP port on 127.0.0.1 for a server a test or a bench starts in a child process: free when checked, and
 * outside the ephemeral range, so no `listen(0)` elsewhere can take it before the child binds it.
 */
export const freePort = async (): Promise<number> => {
  const [ephemeralLow] = ephemeralRange();
  const high = Math.min(ephemeralLow, 65536) - 1;
  const low = Math.max(10_000, high - 15_000);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high} after 50 tries`);
};
