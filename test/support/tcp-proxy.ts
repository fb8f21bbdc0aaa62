import { createServer, connect, Server, Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a server (PostgreSQL in the fault tests), which can make
 * that server unreachable without touching it: `cut()` resets every connection through it and
 * refuses new ones (each is reset as soon as it is accepted, as a server that is down would
 * answer), `restore()` lets connections through again. The listening port stays the same.
 */
export class TcpProxy {
  private readonly connections = new Set<Socket>();
  private refusing = false;
  /** Connections refused or cut while down, for the test's report. */
  refused = 0;
  cutConnections = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer({ noDelay: true }, (client) => proxy!.accept(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  get isDown(): boolean {
    return this.refusing;
  }

  /** The server becomes unreachable: connections through the proxy are reset, new ones refused. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.connections) {
      this.cutConnections += 1;
      reset(socket);
    }
    this.connections.clear();
  }

  /** The server is reachable again (for new connections; cut ones stay cut). */
  restore(): void {
    this.refusing = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    client.on('error', () => undefined);
    if (this.refusing) {
      this.refused += 1;
      reset(client);
      return;
    }
    const upstream = connect({ host: target.host, port: target.port, noDelay: true });
    upstream.on('error', () => undefined);
    this.connections.add(client);
    this.connections.add(upstream);
    const forget = () => {
      this.connections.delete(client);
      this.connections.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', forget);
    upstream.once('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** Drops a connection with a TCP reset, as a vanished peer does. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function' && !socket.connecting) socket.resetAndDestroy();
  else socket.destroy();
}
