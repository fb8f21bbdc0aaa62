import type { DataSource } from 'typeorm';

/** Reads remembered per database (DataSource); beyond that the least recently used are forgotten. */
const ENTRIES = 1_000;

interface Entry {
  /** The database's snapshot (`pg_current_snapshot()`) taken before the read began. */
  snapshot: string;
  value: Promise<unknown>;
}

/**
 * Reads of read models, remembered until anything at all commits in the database. Before every
 * read the database's current snapshot is asked for (one cheap round trip); a read remembered
 * under an equal snapshot is answered again, as no transaction has ended since it was taken
 * (same xmin, xmax and in-progress list: every row looks the same), so the answer is exactly
 * what the read would give now. Any commit (an append with its projections, in any process of
 * the deployment) gives a new snapshot, so nothing is ever answered that the store has moved
 * past, and nothing is needed to invalidate across instances. Requests that ask while the same
 * read is under way at the same snapshot share it.
 *
 * The key must name everything the read depends on besides the database: the caller's scope
 * (municipality, organisations acting for), the filters, the page, today. Authorisation checks
 * stay outside, on every request. A remembered value is shared: callers must not change it.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly dataSource: DataSource) {}

  async read<T>(key: string, read: () => Promise<T>): Promise<T> {
    const [{ snapshot }]: Array<{ snapshot: string }> = await this.dataSource.query('SELECT pg_current_snapshot()::text AS snapshot');
    const known = this.entries.get(key);
    if (known && known.snapshot === snapshot) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.value as Promise<T>;
    }
    const value = read();
    const entry: Entry = { snapshot, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    // A failed read is not remembered.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}

const caches = new WeakMap<DataSource, ReadCache>();

/** The read cache of this database (one per DataSource, so per process and database). */
export function readCacheOf(dataSource: DataSource): ReadCache {
  let cache = caches.get(dataSource);
  if (!cache) caches.set(dataSource, (cache = new ReadCache(dataSource)));
  return cache;
}

/** A cache key from the parts a read depends on (JSON, so no two different part lists give one key). */
export const readKey = (...parts: unknown[]) => JSON.stringify(parts);
