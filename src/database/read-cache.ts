import type { RequestHandler } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

/** Reads remembered per database (DataSource); beyond that the least recently used are forgotten. */
const ENTRIES = 1_000;

interface Entry {
  /** The database's snapshot (`pg_current_snapshot()`) taken before the read began. */
  snapshot: string;
  value: Promise<unknown>;
}

/**
 * Reads of read models, remembered until anything at all commits in the database. Before a read
 * the database's current snapshot is asked for (one cheap round trip, one per GET request with
 * oneSnapshotPerRequest); a read remembered
 * under an equal snapshot is answered again, as no transaction has ended since it was taken
 * (same xmin, xmax and in-progress list: every row looks the same), so the answer is exactly
 * what the read would give now. Any commit (an append with its projections, in any process of
 * the deployment) gives a new snapshot, so nothing is ever answered that the store has moved
 * past, and nothing is needed to invalidate across instances. Requests that ask while the same
 * read is under way at the same snapshot share it; so do requests whose snapshot is older than
 * the read's (a snapshot's xmax only grows): that read began after they did, so it answers as of
 * a moment within their request, or later.
 *
 * The key must name everything the read depends on besides the database: the caller's scope
 * (municipality, organisations acting for), the filters, the page, today. Authorisation checks
 * stay outside, on every request. A remembered value is shared: callers must not change it.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly snapshots: SnapshotQuestions;

  constructor(private readonly dataSource: DataSource) {
    this.snapshots = new SnapshotQuestions(dataSource);
  }

  async read<T>(key: string, read: () => Promise<T>): Promise<T> {
    const snapshot = await this.snapshot();
    const known = this.entries.get(key);
    if (known && (known.snapshot === snapshot || xmaxOf(known.snapshot) > xmaxOf(snapshot))) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.value as Promise<T>;
    }
    const value = read().then((answer) => {
      if (typeof answer === 'object' && answer !== null) remembered.add(answer);
      return answer;
    });
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

  /** The database's snapshot now; within a GET or HEAD request (see oneSnapshotPerRequest), the one its first cached read asked for. */
  private snapshot(): Promise<string> {
    const shared = requestSnapshots.getStore();
    let snapshot = shared?.get(this.dataSource);
    if (!snapshot) {
      snapshot = this.snapshots.now();
      shared?.set(this.dataSource, snapshot);
    }
    return snapshot;
  }
}

/**
 * Asks the database for its current snapshot, one question in flight at a time: whoever asks
 * while one is under way shares the next, sent as soon as that one is answered. The next is
 * taken after they all asked, so it is "now" for each of them, as a question of their own
 * would be; under load a process asks a few times per round trip instead of once per request.
 */
class SnapshotQuestions {
  private underWay?: Promise<string>;
  /** Asked for, not yet sent. */
  private waiting?: Promise<string>;

  constructor(private readonly dataSource: DataSource) {}

  now(): Promise<string> {
    if (this.waiting) return this.waiting;
    if (!this.underWay) return this.send();
    const waiting = this.underWay
      .catch(() => undefined)
      .then(() => {
        this.waiting = undefined;
        return this.send();
      });
    this.waiting = waiting;
    return waiting;
  }

  private send(): Promise<string> {
    const question = this.dataSource
      .query('SELECT pg_current_snapshot()::text AS snapshot')
      .then((rows: Array<{ snapshot: string }>) => rows[0].snapshot);
    this.underWay = question;
    const answered = () => {
      if (this.underWay === question) this.underWay = undefined;
    };
    question.then(answered, answered);
    return question;
  }
}

/** Every value a read answered (shared by the requests that get it, so never changed). */
const remembered = new WeakSet<object>();

/** Whether `value` is what a cached read answered: its JSON may be written once and sent again (see rememberedJson). */
export const isRemembered = (value: unknown): value is object => typeof value === 'object' && value !== null && remembered.has(value);

/** A snapshot's xmax (`xmin:xmax:xip,…`): one more than the latest transaction ended when it was taken. */
const xmaxOf = (snapshot: string) => BigInt(snapshot.split(':')[1]);

const requestSnapshots = new AsyncLocalStorage<Map<DataSource, Promise<string>>>();

/**
 * Middleware: the cached reads of a GET or HEAD request (its session, its token, the reads of
 * its page) are all checked against one snapshot, asked for at the first of them: one round
 * trip per request instead of one per read, and every read answers as of the same moment. Not
 * for the other methods: a command writes, and what it reads after writing must see the write.
 * Place it after the body parsers (their stream events would lose the request's async context).
 */
export const oneSnapshotPerRequest: RequestHandler = (request, _response, next) =>
  request.method === 'GET' || request.method === 'HEAD' ? requestSnapshots.run(new Map(), next) : next();

const caches = new WeakMap<DataSource, ReadCache>();

/** The read cache of this database (one per DataSource, so per process and database). */
export function readCacheOf(dataSource: DataSource): ReadCache {
  let cache = caches.get(dataSource);
  if (!cache) caches.set(dataSource, (cache = new ReadCache(dataSource)));
  return cache;
}

/**
 * One statement through the read cache, keyed by its text and parameters (which must hold the
 * caller's scope, as any filter does): for the small reads of a page (names, choices of a
 * filter). The rows are shared: read them, never change them (sort a copy).
 */
export function cachedQuery<Row>(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<readonly Row[]> {
  return readCacheOf(dataSource).read(readKey('query', sql, parameters), () => dataSource.query(sql, parameters) as Promise<Row[]>);
}

/** A cache key from the parts a read depends on (JSON, so no two different part lists give one key). */
export const readKey = (...parts: unknown[]) => JSON.stringify(parts);
