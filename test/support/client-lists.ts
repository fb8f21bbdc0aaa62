import type { AuthenticatedUser } from '../../src/auth/auth.types';
import { CLIENT_CSV_COLUMNS, ClientCsvColumn } from '../../src/clients/import/client-csv-columns';
import { sampleClientList } from '../../src/demo/sample-client-list';

/** One line of a client list, cell by cell, as the provider typed it. */
export type ClientCsvCells = Record<ClientCsvColumn, string>;

/**
 * A client list as Dutch Excel saves it (UTF-8 with BOM, `;`, CRLF) from its cells, the header
 * first unless `header` is false (a list that starts with a client).
 */
export function clientCsv(rows: readonly ClientCsvCells[], { header = true }: { header?: boolean } = {}): Buffer {
  const lines = [...(header ? [CLIENT_CSV_COLUMNS.join(';')] : []), ...rows.map((row) => CLIENT_CSV_COLUMNS.map((column) => row[column]).join(';'))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** A valid client list: `count` clients from `first`, every name, street and note carrying `marker`. */
export function clientList(count: number, { first = 1, marker = 'Jansen' }: { first?: number; marker?: string } = {}): Buffer {
  return sampleClientList(count, { first, marker });
}

/** A provider user as the auth guard makes it. */
export function providerUser(organisation: string, actingFor = [organisation]): AuthenticatedUser {
  return { id: `${organisation}-user`, username: `${organisation}-user`, role: 'provider', organisation, actingFor };
}
