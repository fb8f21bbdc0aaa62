import { parseOrganisationRegistry, registerOrganisations } from '../../src/organisations/organisation-registry';
import { createTestDatabase, TestDatabase } from '../support/database';

const registry = {
  organisations: [
    { code: 'almelo', name: 'Gemeente Almelo', kind: 'municipality', email: 'welzijn@almelo.example' },
    { code: 'wijkkracht', name: 'Wijkkracht (consortium)', kind: 'provider' },
    { code: 'buurtwerk-west', name: 'Buurtwerk West', kind: 'provider' },
  ],
  consortia: [{ consortium: 'wijkkracht', member: 'buurtwerk-west', role: 'main-contractor' }],
  districts: [{ municipality: 'almelo', code: 'centrum', name: 'Centrum' }],
};

describe('registering organisations (organisations:import)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db?.drop());

  const count = (table: string) => db.app.query(`SELECT count(*)::int AS n FROM ${table}`).then(([row]) => row.n);

  it('registers municipalities, providers, consortia and districts, and leaves existing codes alone', async () => {
    const first = await db.app.transaction((manager) => registerOrganisations(manager, parseOrganisationRegistry(registry)));
    expect(first).toEqual({ organisations: 3, consortiumMembers: 1, districts: 1 });
    const again = await db.app.transaction((manager) => registerOrganisations(manager, parseOrganisationRegistry(registry)));
    expect(again).toEqual({ organisations: 0, consortiumMembers: 0, districts: 0 });
    expect(await count('organisations')).toBe(3);
  });

  it('names every wrong entry and field', () => {
    expect(() =>
      parseOrganisationRegistry({
        organisations: [{ code: 'Almelo', name: 'x', kind: 'city' }],
        consortia: [{ consortium: 'a', member: 'b', role: 'boss' }],
      }),
    ).toThrow(/organisations\.0\.code: code must be a lowercase code[\s\S]*organisations\.0\.kind: kind must be municipality or provider[\s\S]*consortia\.0\.role/);
  });

  it('writes nothing when an entry refers to an organisation that does not exist', async () => {
    const before = await count('organisations');
    const broken = parseOrganisationRegistry({
      organisations: [{ code: 'hengelo', name: 'Gemeente Hengelo', kind: 'municipality' }],
      districts: [{ municipality: 'nowhere', code: 'centrum', name: 'Centrum' }],
    });
    await expect(db.app.transaction((manager) => registerOrganisations(manager, broken))).rejects.toThrow(/foreign key/);
    expect(await count('organisations')).toBe(before);
  });
});
