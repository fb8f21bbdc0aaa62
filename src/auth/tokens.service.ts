import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser, Role } from './auth.types';

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Bearer tokens: 256 random bits, shown once and stored only as their SHA-256 (a token this
 * long needs no slow hash: there is nothing to guess).
 */
@Injectable()
export class TokensService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createUser(username: string, role: Role, organisation: string, isDemo = false): Promise<string> {
    const [org] = await this.dataSource.query('SELECT kind FROM organisations WHERE code = $1', [organisation]);
    if (!org) throw new Error(`organisation ${organisation} does not exist`);
    const expectedKind = role === 'provider' ? 'provider' : 'municipality';
    if (role !== 'auditor' && org.kind !== expectedKind) {
      throw new Error(`a ${role} must belong to a ${expectedKind}; ${organisation} is a ${org.kind}`);
    }
    const id = randomUUID();
    await this.dataSource.query(
      'INSERT INTO users (id, username, role, organisation, is_demo) VALUES ($1, $2, $3, $4, $5)',
      [id, username, role, organisation, isDemo],
    );
    return id;
  }

  /** A new token for the user; the plain token is returned once and never stored. */
  async createToken(userId: string, label: string): Promise<string> {
    const token = `ovd_${randomBytes(32).toString('base64url')}`;
    await this.dataSource.query('INSERT INTO api_tokens (token_hash, user_id, label) VALUES ($1, $2, $3)', [
      hashOf(token),
      userId,
      label,
    ]);
    return token;
  }

  async authenticate(token: string): Promise<AuthenticatedUser | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT u.id, u.username, u.role, u.organisation,
              array(SELECT consortium FROM consortium_members WHERE member = u.organisation) AS consortia
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
      [hashOf(token)],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      username: row.username,
      role: row.role,
      organisation: row.organisation,
      actingFor: [row.organisation, ...row.consortia],
    };
  }
}
