import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Public, WebPage } from '../../../auth/auth.decorators';
import { TOKEN_PATTERN } from '../../../auth/bearer';
import { endSession } from '../../../auth/session-identity';
import { hashOf, TokensService } from '../../../auth/tokens.service';
import { FailedAuthLimiter } from '../../../http/failed-auth';
import { pageLocals } from '../../page-locals';
import { homeOf, signInRefusal } from './sign-in-messages';

/**
 * Signing in with an access token, once per session: the session then remembers the token's
 * identity (its hash), never the token. Signing out ends the session server-side.
 */
@WebPage()
@Controller()
export class SignInController {
  constructor(
    private readonly tokens: TokensService,
    private readonly modules: ModuleRef,
  ) {}

  /** The API's failed-authentication limit (HttpEdgesModule): a wrong token here counts as a 401 there. */
  private get limiter(): FailedAuthLimiter | undefined {
    try {
      return this.modules.get(FailedAuthLimiter, { strict: false });
    } catch {
      return undefined;
    }
  }

  @Get('inloggen')
  @Public()
  form(@Req() request: Request, @Res() response: Response, @Query('uitgelogd') signedOut?: string) {
    response.render('inloggen', { ...pageLocals(request), signedOut: signedOut === '1' });
  }

  @Post('inloggen')
  @Public()
  async signIn(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    const limiter = this.limiter;
    const blocked = (wait: number) => {
      response.setHeader('Retry-After', String(wait));
      return response.status(HttpStatus.TOO_MANY_REQUESTS).render('inloggen', { ...pageLocals(request), error: signInRefusal('blocked') });
    };
    const wait = limiter?.retryAfter(request) ?? 0;
    if (wait > 0) return blocked(wait);
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const signIn = TOKEN_PATTERN.test(token) ? await this.tokens.signIn(token) : ({ status: 'invalid' } as const);
    if (signIn.status !== 'valid') {
      if (token !== '' && signIn.status !== 'refused') {
        const blockedFor = (await limiter?.recordFailure(request)) ?? 0;
        if (blockedFor > 0) return blocked(blockedFor);
      }
      const status = signIn.status === 'refused' ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED;
      return response.status(status).render('inloggen', { ...pageLocals(request), error: signInRefusal(token === '' ? 'empty' : signIn.status) });
    }
    // A new session id on signing in, so an id known before (session fixation) is worth nothing.
    await new Promise<void>((resolve, reject) => request.session.regenerate((error) => (error ? reject(error) : resolve())));
    request.session.identity = { tokenHash: hashOf(token), signedInAt: Date.now() };
    await new Promise<void>((resolve, reject) => request.session.save((error) => (error ? reject(error) : resolve())));
    response.redirect(HttpStatus.SEE_OTHER, homeOf(signIn.user.role));
  }

  @Post('uitloggen')
  @Public()
  async signOut(@Req() request: Request, @Res() response: Response) {
    await endSession(request);
    response.redirect(HttpStatus.SEE_OTHER, '/inloggen?uitgelogd=1');
  }
}
