import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { readCacheOf, readKey } from '../database/read-cache';
import type { AuthenticatedUser, Role } from './auth.types';

/** A token as stored (and as a web session remembers it): its SHA-256, hex. */
export const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The organisation kind each role belongs to. */
const KIND_OF_ROLE: Record<Role, 'municipality' | 'provider'> = {
  coordinator: 'municipality',
  auditor: 'municipality',
  // Runs the service for a municipality; belongs to it, though it sees none of its handovers.
  operator: 'municipality',
  provider: 'provider',
};

/** "a coordinator", "an auditor". */
const aOrAn = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** What a token says when presented: the user, or why it is not accepted. */
export type SignIn =
  | { status: 'valid'; user: AuthenticatedUser }
  /** Never issued, or revoked. */
  | { status: 'invalid' }
  | { status: 'expired' }
  /** A valid token of a user whose role does not fit its organisation (an auditor of a provider, made before that was refused). */
  | { status: 'refused'; reason: string };

/** A token as `token:list` shows it: everything but the token, which is never stored. */
export interface TokenListing {
  user: string;
  role: Role;
  organisation: string;
  label: string;
  created: string;
  expires: string | null;
  revoked: string | null;
  /** valid, expired, revoked, or refused (its user's role does not fit its organisation). */
  status: 'valid' | 'expired' | 'revoked' | 'refused';
}

/** Which tokens `revoke` ends: one (by the token itself), or a user's (all, or those with a label). */
export type RevokeWhich = { token: string } | { username: string; label?: string };

/**
 * Bearer tokens: 256 random bits, shown once and stored only as their SHA-256 (a token this
 * long needs no slow hash: there is nothing to guess). A token may expire and may be revoked.
 *
 * Every request looks its token up, so a revocation or an expiry applies to the very next
 * request: through the ReadCache, which answers again only while nothing has been committed
 * since (a revocation is a commit), and the expiry is compared with the time on every call.
 */
@Injectable()
export class TokensService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createUser(username: string, role: Role, organisation: string, isDemo = false): Promise<string> {
    const [org] = await this.dataSource.query('SELECT kind FROM organisations WHERE code = $1', [organisation]);
    if (!org) throw new Error(`organisation ${organisation} does not exist`);
    const expectedKind = KIND_OF_ROLE[role];
    if (org.kind !== expectedKind) {
      throw new Error(`${aOrAn(role)} must belong to a ${expectedKind}; ${organisation} is a ${org.kind}`);
    }
    const id = randomUUID();
    await this.dataSource.query(
      'INSERT INTO users (id, username, role, organisation, is_demo) VALUES ($1, $2, $3, $4, $5)',
      [id, username, role, organisation, isDemo],
    );
    return id;
  }

  /** A new token for the user, valid until `expiresAt` (or until revoked); the plain token is returned once and never stored. */
  async createToken(userId: string, label: string, { expiresAt }: { expiresAt?: Date } = {}): Promise<string> {
    const token = `ovd_${randomBytes(32).toString('base64url')}`;
    await this.dataSource.query(
      'INSERT INTO api_tokens (token_hash, user_id, label, expires_at) VALUES ($1, $2, $3, $4)',
      [hashOf(token), userId, label, expiresAt ?? null],
    );
    return token;
  }

  /** The token's user, when the token is known, in force and its user may act. */
  signIn(token: string): Promise<SignIn> {
    return this.signInByHash(hashOf(token));
  }

  /** signIn for a token known by its hash (a web session's): the same checks, looked up again on every call. */
  async signInByHash(tokenHash: string): Promise<SignIn> {
    const read = async () => {
      const [found] = await this.dataSource.query(
        `SELECT u.id, u.username, u.role, u.organisation, o.kind,
                t.revoked_at IS NOT NULL AS revoked, t.expires_at AS "expiresAt",
                array(SELECT consortium FROM consortium_members WHERE member = u.organisation) AS consortia
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.code = u.organisation
         WHERE t.token_hash = $1`,
        [tokenHash],
      );
      return found as { id: string; username: string; role: Role; organisation: string; kind: string; revoked: boolean; expiresAt: Date | null; consortia: string[] } | undefined;
    };
    const row = await readCacheOf(this.dataSource).read(readKey('token', tokenHash), read);
    if (!row || row.revoked) return { status: 'invalid' };
    if (row.expiresAt !== null && row.expiresAt.getTime() <= Date.now()) return { status: 'expired' };
    const role = row.role as Role;
    if (row.kind !== KIND_OF_ROLE[role]) {
      return { status: 'refused', reason: `${aOrAn(role)} must belong to a ${KIND_OF_ROLE[role]}; this user belongs to a ${row.kind}` };
    }
    return {
      status: 'valid',
      user: {
        id: row.id,
        username: row.username,
        role,
        organisation: row.organisation,
        actingFor: [row.organisation, ...row.consortia],
      },
    };
  }

  /** The token's user, or undefined when the token is not accepted (see signIn for why). */
  async authenticate(token: string): Promise<AuthenticatedUser | undefined> {
    const result = await this.signIn(token);
    return result.status === 'valid' ? result.user : undefined;
  }

  /** Every stored token, by user and creation: never the token itself (only its hash is stored). */
  async list(): Promise<TokenListing[]> {
    const rows = await this.dataSource.query(
      `SELECT u.username AS user, u.role, u.organisation, t.label, t.created_at AS created, t.expires_at AS expires,
              t.revoked_at AS revoked,
              CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
                   WHEN t.expires_at IS NOT NULL AND t.expires_at <= now() THEN 'expired'
                   WHEN o.kind <> CASE u.role WHEN 'provider' THEN 'provider' ELSE 'municipality' END THEN 'refused'
                   ELSE 'valid' END AS status
       FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.code = u.organisation
       ORDER BY u.username, t.created_at, t.label`,
    );
    const iso = (value: Date | null) => (value ? value.toISOString() : null);
    return rows.map((row: Record<string, unknown>) => ({
      ...row,
      created: iso(row.created as Date),
      expires: iso(row.expires as Date | null),
      revoked: iso(row.revoked as Date | null),
    }));
  }

  /**
   * Revokes the tokens named (those not revoked yet) at once: the next request with one gets
   * 401. Returns how many it revoked; throws when the user does not exist.
   */
  async revoke(which: RevokeWhich): Promise<number> {
    if ('token' in which) {
      return this.revokeWhere('token_hash = $1', [hashOf(which.token)]);
    }
    const [user] = await this.dataSource.query('SELECT id FROM users WHERE username = $1', [which.username]);
    if (!user) throw new Error(`user ${which.username} does not exist`);
    return this.revokeWhere('user_id = $1 AND ($2::text IS NULL OR label = $2)', [user.id, which.label ?? null]);
  }

  private async revokeWhere(condition: string, params: unknown[]): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      `WITH revoked AS (UPDATE api_tokens SET revoked_at = now() WHERE ${condition} AND revoked_at IS NULL RETURNING 1)
       SELECT count(*)::int AS count FROM revoked`,
      params,
    );
    return count;
  }
}
