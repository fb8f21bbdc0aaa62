import type { DataSource } from 'typeorm';
import type { AuthenticatedUser, Role } from '../../src/auth/auth.types';
import { TokensService } from '../../src/auth/tokens.service';
import { seedDemoOrganisations } from '../../src/demo/demo-data';

/** The demo programmes' organisations, consortia and districts (Rotterdam, Enschede). */
export function seedOrganisations(dataSource: DataSource): Promise<void> {
  return dataSource.transaction((manager) => seedDemoOrganisations(manager));
}

export interface TestUser {
  token: string;
  user: AuthenticatedUser;
}

/** A user with a bearer token, as `npm run token:create` makes one. */
export async function createTestUser(dataSource: DataSource, role: Role, organisation: string): Promise<TestUser> {
  const tokens = new TokensService(dataSource);
  const username = `${role}-${organisation}-${Math.random().toString(36).slice(2, 8)}`;
  const id = await tokens.createUser(username, role, organisation);
  const token = await tokens.createToken(id, 'test');
  return { token, user: (await tokens.authenticate(token))! };
}
