import { Injectable, Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/** What a request's work may ask about its request: when to give up, and a signal that says so. */
export interface RequestScope {
  /** Aborted when the caller goes away, the request's deadline passes, or the service stops. */
  signal: AbortSignal;
  /** The instant (ms since the epoch) after which the caller gets 503 instead of an answer. */
  deadline: number;
  /** Moves the deadline to `ms` from now (a route whose work is known to take longer, a bulk request). */
  extend(ms: number): void;
}

/** Why a request's work was abandoned (the signal's reason). */
export class RequestAbandoned extends Error {
  constructor(readonly why: 'client-gone' | 'deadline' | 'shutdown') {
    super(
      why === 'client-gone'
        ? 'the caller disconnected'
        : why === 'deadline'
          ? 'the request passed its deadline'
          : 'the service is stopping',
    );
    this.name = 'RequestAbandoned';
  }
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The scope of the request this code runs for, if it runs for one. */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

/** Gives the current request (if any) `ms` from now instead of REQUEST_DEADLINE_MS. */
export function extendRequestDeadline(ms: number): void {
  currentRequest()?.extend(ms);
}

interface InFlight {
  controller: AbortController;
  response: Response;
  timer: NodeJS.Timeout;
}

const IN_FLIGHT = Symbol('in-flight');

export const DRAINING_MESSAGE = 'the service is stopping; try again (another instance may answer)';

/**
 * The life of every HTTP request, and the service's drain when it stops:
 * - `gate` (first middleware): while the service drains, a new request is answered 503 with
 *   `Connection: close`; otherwise the request is counted in flight, gets an AbortController
 *   that aborts when its caller disconnects or its deadline (REQUEST_DEADLINE_MS) passes;
 * - `scope` (after the body parsers, so that the async context reaches the handlers): makes
 *   the request's signal and deadline known to `currentRequest()` (withinDeadline uses them);
 * - `watch(server)`: follows the server's connections, so that the drain knows when callers
 *   stop connecting and which connections have not sent their request yet;
 * - `drain(server, ms)`: readiness goes down; once connections stop coming the listener closes
 *   (no new connections); in-flight requests get up to `ms` to finish, then their work is
 *   aborted (their Temporal calls end in 503), and whatever has still not answered a second
 *   later is answered 503 here; then every connection is closed.
 */
@Injectable()
export class HttpLifecycle {
  private readonly logger = new Logger('HttpLifecycle');
  private readonly inFlight = new Set<InFlight>();
  private drainingSince?: number;
  private idle?: () => void;
  private lastRequestAt = 0;
  private lastConnectionAt = 0;
  /** Connections accepted whose first request has not been read yet, with when they came. */
  private readonly silent = new Map<Socket, number>();
  deadlineMs = 10_000;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  watch(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.lastConnectionAt = Date.now();
      this.silent.set(socket, this.lastConnectionAt);
      socket.once('close', () => this.silent.delete(socket));
    });
  }

  readonly gate = (request: Request, response: Response, next: NextFunction): void => {
    this.lastRequestAt = Date.now();
    this.silent.delete(request.socket);
    if (this.draining) {
      response.setHeader('Connection', 'close');
      response.setHeader('Cache-Control', 'no-store');
      response.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: DRAINING_MESSAGE });
      return;
    }
    const controller = new AbortController();
    const expire = (ms: number) => {
      const timer = setTimeout(() => controller.abort(new RequestAbandoned('deadline')), ms);
      timer.unref();
      return timer;
    };
    const entry: InFlight = { controller, response, timer: expire(this.deadlineMs) };
    this.inFlight.add(entry);
    const scope: RequestScope = {
      signal: controller.signal,
      deadline: Date.now() + this.deadlineMs,
      extend: (ms) => {
        if (controller.signal.aborted) return;
        clearTimeout(entry.timer);
        entry.timer = expire(ms);
        scope.deadline = Date.now() + ms;
      },
    };
    (response.locals as Record<symbol, unknown>)[IN_FLIGHT] = scope;
    // The caller is gone when the connection closes before the answer is written, or when it
    // ends its side of the connection (a client that gives up closes its socket; Node keeps it
    // half open to write an answer, so 'close' would only come with the answer).
    const gone = () => {
      if (!response.writableFinished && !controller.signal.aborted) controller.abort(new RequestAbandoned('client-gone'));
    };
    const socket = request.socket;
    if (socket.readableEnded) gone();
    else socket.once('end', gone);
    response.once('close', () => {
      clearTimeout(entry.timer);
      socket.removeListener('end', gone);
      gone();
      this.inFlight.delete(entry);
      if (this.inFlight.size === 0) this.idle?.();
    });
    // An answer given once the drain has begun tells a keep-alive client to close the connection.
    const writeHead = response.writeHead;
    const lifecycle = this;
    response.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (lifecycle.draining && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    next();
  };

  readonly scope = (_request: Request, response: Response, next: NextFunction): void => {
    const scope = (response.locals as Record<symbol, RequestScope | undefined>)[IN_FLIGHT];
    if (!scope) return next();
    scopes.run(scope, next);
  };

  /** Drains the server (see the class); resolves when every connection is closed. */
  async drain(server: Server, { drainMs, unreadyMs }: { drainMs: number; unreadyMs: number }): Promise<void> {
    if (this.draining) return;
    const started = (this.drainingSince = Date.now());
    const atStop = this.inFlight.size;
    // Readiness is down and new requests get 503; the listener stays open until callers stop
    // connecting (at least `unreadyMs`, so that a load balancer sees the probe fail first):
    // closing it resets the connections the kernel has accepted but the server has not taken yet.
    if (unreadyMs > 0) await sleep(unreadyMs);
    const until = Date.now() + drainMs;
    await this.settle(until, () => Date.now() - this.lastConnectionAt >= QUIET_MS);
    // Stop listening, but keep open connections: http.Server#close would also drop the idle
    // ones, among them those whose request has arrived but is not read yet (a reset for their callers).
    const closed = new Promise<void>((resolve) => netClose.call(server, () => resolve()));
    const before = this.inFlight.size;
    // Drained when nothing is in flight, no request has come for a while and every connection
    // has sent its request (every answer now says `Connection: close`, so keep-alive
    // connections end after their next request).
    await this.settle(until, () => this.inFlight.size === 0 && Date.now() - this.lastRequestAt >= QUIET_MS && !this.awaitingRequests());
    if (this.inFlight.size > 0) {
      this.logger.warn(`${this.inFlight.size} request(s) still running after ${drainMs} ms: abandoned with 503`);
      for (const entry of this.inFlight) entry.controller.abort(new RequestAbandoned('shutdown'));
      const idle = new Promise<void>((resolve) => (this.idle = resolve));
      await Promise.race([idle, sleep(1_000)]);
      for (const entry of this.inFlight) {
        if (!entry.response.headersSent) {
          entry.response.setHeader('Connection', 'close');
          entry.response.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: DRAINING_MESSAGE });
        }
      }
    }
    this.logger.log(
      `HTTP drained in ${Date.now() - started} ms (${atStop} request(s) were in flight at the stop, ${before} when the listener closed)`,
    );
    server.closeAllConnections();
    await closed;
  }

  /** A connection came a moment ago and has not sent its request yet (a preconnect that stays silent is not waited for). */
  private awaitingRequests(): boolean {
    const now = Date.now();
    for (const acceptedAt of this.silent.values()) if (now - acceptedAt < SILENT_GRACE_MS) return true;
    return false;
  }

  /** Waits until `done` holds (checked again after the event loop's I/O phase) or `until` passes. */
  private async settle(until: number, done: () => boolean): Promise<void> {
    while (Date.now() < until) {
      // setImmediate runs after the event loop's I/O phase: connections and requests that
      // arrived while it was busy are taken (and counted) before `done` is believed.
      if (done() && (await new Promise<boolean>((resolve) => setImmediate(() => resolve(done()))))) return;
      await sleep(Math.min(25, Math.max(1, until - Date.now())));
    }
  }
}

/** Stops listening without touching open connections (http.Server#close closes the idle ones too). */
const netClose = NetServer.prototype.close as (this: Server, callback: () => void) => void;

/** The listener closes once no connection has come for this long; the drain ends once no request has (and none is in flight). */
const QUIET_MS = 300;

/** How long the drain waits for a new connection's first request. */
const SILENT_GRACE_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
