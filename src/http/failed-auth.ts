import { CanActivate, ExecutionContext, Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  seconds,
  ThrottlerException,
  ThrottlerModule,
  ThrottlerModuleOptions,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { PUBLIC } from '../auth/auth.decorators';

/** The named throttler that counts failed authentications per client. */
export const FAILED_AUTH = 'failed-auth';

export const TOO_MANY_FAILED_AUTHENTICATIONS = 'too many failed authentications from this client; try again after Retry-After seconds';

/**
 * Failed authentications (401) per client, counted in the throttler's storage: past
 * AUTH_FAILURE_LIMIT within AUTH_FAILURE_WINDOW_SECONDS the client is blocked for
 * AUTH_FAILURE_BLOCK_SECONDS. A client is its IP address (an IPv6 one by its /64), as the
 * socket sees it. The block is kept in this process: with several API processes each counts
 * its own share.
 */
@Injectable()
export class FailedAuthLimiter {
  /** When each blocked client may try again (epoch ms). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @InjectThrottlerOptions() private readonly options: ThrottlerModuleOptions,
  ) {}

  private get throttler(): ThrottlerOptions & { limit: number; ttl: number; blockDuration: number } {
    const throttlers = Array.isArray(this.options) ? this.options : this.options.throttlers;
    const found = throttlers.find((throttler) => throttler.name === FAILED_AUTH);
    if (!found) throw new Error(`the throttler "${FAILED_AUTH}" is not configured`);
    return found as ThrottlerOptions & { limit: number; ttl: number; blockDuration: number };
  }

  private client(request: Request): string {
    return normalizeIp(request.ip ?? request.socket.remoteAddress ?? 'unknown');
  }

  /** Seconds a blocked client still has to wait, or 0 when it may try. */
  retryAfter(request: Request, now = Date.now()): number {
    const client = this.client(request);
    const until = this.blockedUntil.get(client);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blockedUntil.delete(client);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  /** Counts a failed authentication; the seconds to wait when this one blocks the client, else 0. */
  async recordFailure(request: Request): Promise<number> {
    const client = this.client(request);
    const { limit, ttl, blockDuration } = this.throttler;
    const record = await this.storage.increment(`${FAILED_AUTH}:${client}`, ttl, limit, blockDuration, FAILED_AUTH);
    if (!record.isBlocked) return 0;
    const wait = Math.max(1, record.timeToBlockExpire);
    if (this.blockedUntil.size >= 100_000) this.blockedUntil.clear();
    this.blockedUntil.set(client, Date.now() + wait * 1000);
    return wait;
  }
}

/** The 429 a blocked client gets, with the seconds to wait in Retry-After. */
export function tooManyFailedAuthentications(response: Response, wait: number): ThrottlerException {
  response.setHeader('Retry-After', String(wait));
  return new ThrottlerException(TOO_MANY_FAILED_AUTHENTICATIONS);
}

/**
 * Runs before the authentication guard (its module is imported before AuthModule): a client
 * that failed too often gets 429 on every route that needs a token, without its token being
 * looked at, so a blocked client cannot go on guessing. Public routes stay open.
 */
@Injectable()
export class FailedAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: FailedAuthLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const wait = this.limiter.retryAfter(http.getRequest<Request>());
    if (wait > 0) throw tooManyFailedAuthentications(http.getResponse<Response>(), wait);
    return true;
  }
}

/**
 * Rate limits at the HTTP edge. Import it before AuthModule: global guards run in the order
 * their modules are imported, and this one must come first.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService): ThrottlerModuleOptions => ({
        throttlers: [
          {
            name: FAILED_AUTH,
            limit: config.getOrThrow<number>('AUTH_FAILURE_LIMIT'),
            ttl: seconds(config.getOrThrow<number>('AUTH_FAILURE_WINDOW_SECONDS')),
            blockDuration: seconds(config.getOrThrow<number>('AUTH_FAILURE_BLOCK_SECONDS')),
          },
        ],
      }),
    }),
  ],
  providers: [FailedAuthLimiter, { provide: APP_GUARD, useClass: FailedAuthGuard }],
  exports: [FailedAuthLimiter],
})
export class HttpEdgesModule {}
