import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ReadCache, readCacheOf, readKey } from '../../database/read-cache';
import { TouchThrottle } from './touch-throttle';

const PgStore = connectPgSimple(session);

/** Expired sessions are deleted this often (seconds); an expired one is never read before that either. */
const PRUNE_EVERY_SECONDS = 15 * 60;

interface StoredSession {
  sess: string;
  expire: Date;
}

/**
 * The PostgreSQL store, whose `touch` (moving a session's idle expiry on, after a request that
 * changed nothing in it) writes at most once per TouchThrottle interval per session and
 * process, instead of on every request: a commit per page view, all of a user's requests
 * updating the same row, was the largest cost of a page. Reading a session goes through the
 * ReadCache (any write, in any process, is a commit and so a new read); its expiry is checked
 * on every request.
 */
class ThrottledPgStore extends PgStore {
  constructor(
    options: ConstructorParameters<typeof PgStore>[0],
    private readonly throttle: TouchThrottle,
    private readonly pool: Pool,
    private readonly cache: ReadCache,
  ) {
    super(options);
  }

  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    const read = () =>
      this.pool
        .query<StoredSession>('SELECT sess::text AS sess, expire FROM web_sessions WHERE sid = $1', [sid])
        .then(({ rows }) => rows[0] ?? null);
    this.cache.read(readKey('web-session', sid), read).then(
      (stored) => {
        if (!stored || stored.expire.getTime() < Date.now()) return callback(null, null);
        let data: session.SessionData;
        try {
          // Parsed for each request: express-session changes the object it is given.
          data = JSON.parse(stored.sess);
        } catch {
          return this.destroy(sid, (error?: unknown) => callback(error ?? null, null));
        }
        callback(null, data);
      },
      (error: unknown) => callback(error),
    );
  }

  override set(sid: string, sess: session.SessionData, callback?: (error?: unknown) => void): void {
    super.set(sid, sess, (error?: unknown) => {
      if (!error) this.throttle.written(sid);
      callback?.(error);
    });
  }

  override touch(sid: string, sess: session.SessionData, callback?: (error?: unknown) => void): void {
    if (!this.throttle.due(sid)) return callback?.();
    super.touch(sid, sess, (error?: unknown) => {
      if (!error) this.throttle.written(sid);
      callback?.(error);
    });
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.throttle.forget(sid);
    super.destroy(sid, callback);
  }
}

/**
 * The browser sessions' store: the `web_sessions` table (see its migration), through the
 * application's own connection pool, so sessions are read and written as the application role.
 */
@Injectable()
export class WebSessionStore implements OnModuleDestroy {
  readonly store: session.Store;
  private readonly log = new Logger('WebSessions');

  constructor(@InjectDataSource() dataSource: DataSource, config: ConfigService) {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const idleMs = Math.round(config.getOrThrow<number>('WEB_SESSION_IDLE_MINUTES') * 60_000);
    this.store = new ThrottledPgStore(
      {
        pool,
        tableName: 'web_sessions',
        createTableIfMissing: false,
        pruneSessionInterval: PRUNE_EVERY_SECONDS,
        // Its own errors (a failed prune) carry no request values; they must not be lost either.
        errorLog: (message: unknown, error?: unknown) => this.log.error(error ?? message, String(message)),
      },
      new TouchThrottle(idleMs),
      pool,
      readCacheOf(dataSource),
    );
  }

  onModuleDestroy(): void {
    (this.store as session.Store & { close(): void }).close();
  }
}
