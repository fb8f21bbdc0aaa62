import express from 'express';
import type { Server } from 'node:http';
import { type AddressInfo, createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { currentRequest, extendRequestDeadline, HttpLifecycle, RequestAbandoned } from '../../src/http/request-lifecycle';

/** The life of a request (deadline, cancel signal) and the drain, on a bare Express app. */
describe('HttpLifecycle', () => {
  let lifecycle: HttpLifecycle;
  let server: Server;
  let base: string;
  const seen: Array<{ deadlineIn: number; extendedIn?: number; reason?: string }> = [];

  beforeEach(async () => {
    lifecycle = new HttpLifecycle();
    lifecycle.deadlineMs = 2_000;
    const app = express();
    app.use(lifecycle.gate);
    app.use(lifecycle.scope);
    app.get('/scope', (_req, res) => {
      const scope = currentRequest()!;
      const deadlineIn = scope.deadline - Date.now();
      extendRequestDeadline(60_000);
      res.json({ deadlineIn, extendedIn: currentRequest()!.deadline - Date.now() });
    });
    app.get('/slow', async (_req, res) => {
      const scope = currentRequest()!;
      const entry: (typeof seen)[number] = { deadlineIn: scope.deadline - Date.now() };
      seen.push(entry);
      await Promise.race([delay(800), new Promise((resolve) => scope.signal.addEventListener('abort', resolve))]);
      entry.reason = scope.signal.aborted ? (scope.signal.reason as RequestAbandoned).why : undefined;
      if (!res.headersSent && !res.destroyed) res.json({ done: true });
    });
    server = app.listen(0, '127.0.0.1');
    lifecycle.watch(server);
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    seen.length = 0;
  });

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  it('gives every request its deadline, which a route may extend', async () => {
    const { deadlineIn, extendedIn } = (await (await fetch(`${base}/scope`)).json()) as { deadlineIn: number; extendedIn: number };
    expect(deadlineIn).toBeGreaterThan(1_900);
    expect(deadlineIn).toBeLessThanOrEqual(2_000);
    expect(extendedIn).toBeGreaterThan(59_000);
  });

  it('aborts the work of a caller that disconnects', async () => {
    await fetch(`${base}/slow`, { signal: AbortSignal.timeout(100) }).catch(() => undefined);
    await delay(200);
    expect(seen[0].reason).toBe('client-gone');
  });

  it('aborts the work when the deadline passes', async () => {
    lifecycle.deadlineMs = 200;
    const answer = await fetch(`${base}/slow`);
    expect(answer.status).toBe(200);
    expect(seen[0].reason).toBe('deadline');
  });

  it('drains: in-flight requests finish, new ones get 503 with Connection: close, then the listener is closed', async () => {
    const inFlight = fetch(`${base}/slow`);
    await delay(100);
    const drained = lifecycle.drain(server, { drainMs: 5_000, unreadyMs: 200 });
    const during = await fetch(`${base}/scope`);
    expect(during.status).toBe(503);
    expect(during.headers.get('connection')).toBe('close');
    expect((await inFlight).status).toBe(200);
    await drained;
    expect(seen[0].reason).toBeUndefined();
    expect(server.listening).toBe(false);
  });

  it('after the drain time, cancels what still runs and answers it 503', async () => {
    const never = express();
    const stuck = new HttpLifecycle();
    never.use(stuck.gate);
    never.use(stuck.scope);
    never.get('/stuck', () => undefined); // never answers, ignores its signal
    const other = never.listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    const answer = fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/stuck`);
    await delay(100);
    const started = Date.now();
    await stuck.drain(other, { drainMs: 300, unreadyMs: 0 });
    expect((await answer).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('keeps the listener open while connections keep coming: each is answered 503, none refused', async () => {
    const drained = lifecycle.drain(server, { drainMs: 5_000, unreadyMs: 100 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      await delay(100);
      statuses.push((await fetch(`${base}/scope`, { headers: { connection: 'close' } })).status);
    }
    expect(statuses).toEqual([503, 503, 503, 503, 503, 503]);
    await drained;
    expect(server.listening).toBe(false);
  });

  it('waits for the request of a connection that came but has not sent it yet, and answers it 503', async () => {
    const socket = createConnection({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const closedBy = new Promise<string>((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.once('close', () => resolve('closed'));
    });
    await delay(50);
    const drained = lifecycle.drain(server, { drainMs: 5_000, unreadyMs: 0 });
    await delay(700); // well past the quiet time: the drain would have ended without this connection
    socket.write(`GET /scope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(await closedBy).toBe('closed');
    expect(received).toMatch(/^HTTP\/1\.1 503 /);
    await drained;
  });
});
