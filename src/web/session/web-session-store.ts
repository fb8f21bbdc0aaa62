import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

const PgStore = connectPgSimple(session);

/** Expired sessions are deleted this often (seconds); an expired one is never read before that either. */
const PRUNE_EVERY_SECONDS = 15 * 60;

/**
 * The browser sessions' store: the `web_sessions` table (see its migration), through the
 * application's own connection pool, so sessions are read and written as the application role.
 */
@Injectable()
export class WebSessionStore implements OnModuleDestroy {
  readonly store: session.Store;
  private readonly log = new Logger('WebSessions');

  constructor(@InjectDataSource() dataSource: DataSource) {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.store = new PgStore({
      pool,
      tableName: 'web_sessions',
      createTableIfMissing: false,
      pruneSessionInterval: PRUNE_EVERY_SECONDS,
      // Its own errors (a failed prune) carry no request values; they must not be lost either.
      errorLog: (message: unknown, error?: unknown) => this.log.error(error ?? message, String(message)),
    });
  }

  onModuleDestroy(): void {
    (this.store as session.Store & { close(): void }).close();
  }
}
