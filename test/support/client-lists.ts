import type { AuthenticatedUser } from '../../src/auth/auth.types';
import { sampleClientList } from '../../src/demo/sample-client-list';

/** A valid client list: `count` clients from `first`, every name, street and note carrying `marker`. */
export function clientList(count: number, { first = 1, marker = 'Jansen' }: { first?: number; marker?: string } = {}): Buffer {
  return sampleClientList(count, { first, marker });
}

/** A provider user as the auth guard makes it. */
export function providerUser(organisation: string, actingFor = [organisation]): AuthenticatedUser {
  return { id: `${organisation}-user`, username: `${organisation}-user`, role: 'provider', organisation, actingFor };
}
