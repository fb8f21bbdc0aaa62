import type { EntityManager } from 'typeorm';

/**
 * Crypto-shredding: deletes the clients' keys, and with them their records and files (the
 * ciphertexts go too, though without the key they could not be read). Idempotent; run inside
 * the caller's transaction. Returns how many of them still had a key, i.e. were erased now.
 *
 * The client number's keyed hash (`client_numbers`) stays: it holds nothing readable, and a
 * re-import of the same list must not bring an erased client back as a new one.
 */
export async function shredClients(manager: EntityManager, pseudonyms: readonly string[]): Promise<number> {
  if (pseudonyms.length === 0) return 0;
  const list = [...new Set(pseudonyms)];
  await manager.query('DELETE FROM client_files WHERE pseudonym = ANY ($1::text[])', [list]);
  await manager.query('DELETE FROM client_records WHERE pseudonym = ANY ($1::text[])', [list]);
  const [{ erased }] = await manager.query(
    `WITH gone AS (DELETE FROM client_keys WHERE pseudonym = ANY ($1::text[]) RETURNING 1)
     SELECT count(*)::int AS erased FROM gone`,
    [list],
  );
  return erased;
}
