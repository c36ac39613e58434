import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/** A hung Oracle: accepts TCP connections and never sends a byte. */
export const silentListener = async (): Promise<{
  server: Server;
  port: number;
  accepted: () => number;
  close: () => Promise<void>;
}> => {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
