import { createServer, connect, Server, Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a server (PostgreSQL in the fault tests), which can make
 * that server unreachable without touching it: `cut()` resets every connection through it and
 * refuses new ones (each is reset as soon as it is accepted, as a server that is down would
 * answer), `restore()` lets connections through again. `holdAnswersAfter('COMMIT')` lets a
 * request through but holds every answer after it (the commit is done, its caller not told)
 * until `releaseAnswers()`. The listening port stays the same.
 */
export class TcpProxy {
  private readonly connections = new Set<Socket>();
  /** Each connection's way back, server to client, and whether it is held. */
  private readonly answers = new Set<{ upstream: Socket; client: Socket; held: boolean }>();
  private holdAfter: Buffer | null = null;
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

  /**
   * From now on, a connection on which the client sends `request` (its bytes, e.g. `COMMIT` of
   * a simple query) gets no further answer: the server receives and runs it, its caller hears
   * nothing until releaseAnswers(). Answers are held, not lost.
   */
  holdAnswersAfter(request: string): void {
    this.holdAfter = Buffer.from(request, 'utf8');
  }

  /** Held answers go on to their callers, and no more are held. */
  releaseAnswers(): void {
    this.holdAfter = null;
    for (const answers of this.answers) {
      if (!answers.held) continue;
      answers.held = false;
      answers.upstream.pipe(answers.client);
    }
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
    const answers = { upstream, client, held: false };
    this.answers.add(answers);
    const forget = () => {
      this.connections.delete(client);
      this.connections.delete(upstream);
      this.answers.delete(answers);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', forget);
    upstream.once('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
    // Runs as the request is passed on, before any answer to it can arrive.
    client.on('data', (chunk: Buffer) => {
      if (!this.holdAfter || answers.held || !chunk.includes(this.holdAfter)) return;
      answers.held = true;
      upstream.unpipe(client);
      upstream.pause();
    });
  }
}

/** Drops a connection with a TCP reset, as a vanished peer does. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function' && !socket.connecting) socket.resetAndDestroy();
  else socket.destroy();
}
