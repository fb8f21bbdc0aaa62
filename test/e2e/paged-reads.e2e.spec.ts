import request from 'supertest';
import { Client as PgClient } from 'pg';
import { EventStore } from '../../src/events/event-store.service';
import { PendingRebuilds } from '../../src/events/pending-rebuilds.service';
import { CURSOR_RULE } from '../../src/paging/cursor';
import { amsterdamToday } from '../../src/time/amsterdam';
import { addDays } from '../../src/time/calendar';
import { anEvent } from '../support/event-store';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays, plannedFor } from '../support/plans';

/**
 * Every list is paged with an opaque cursor and filtered in SQL: pages that tie on their sort key
 * neither repeat nor skip a row, limits and cursors are read strictly, and the role rules hold.
 * One handover is real (its detail and timeline come from the read models its events fill);
 * the rows that make the lists long are written into the read models directly.
 */
describe('paged reads (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  const today = amsterdamToday();
  const goLive = goLiveInDays(100);
  const real = { municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate: goLiveInDays(150) };
  const realId = `rotterdam.feijenoord.${real.goLiveDate}`;

  /** 60 made-up handovers sharing one go-live: the expected time to act of each. */
  const SYNTHETIC = 60;
  const synthetic = Array.from({ length: SYNTHETIC }, (_, i) => {
    const id = `rotterdam.s${String(i).padStart(2, '0')}.${goLive}`;
    const kind = i % 10;
    const state = kind === 0 ? 'cancelled' : kind === 3 || kind === 4 ? 'live' : 'preparing';
    const due = kind === 1 ? addDays(today, -3) : kind === 3 ? addDays(goLive, 10) : addDays(goLive, -30);
    const done = kind === 2 || kind === 4;
    const actBy = kind === 0 || kind === 4 ? null : kind === 2 ? goLive : due;
    return { id, i, state, due, done, actBy, outgoing: i % 4 < 2 ? 'welzijn-maas' : 'samen-sterk', atRisk: i % 7 === 0 };
  });

  beforeAll(async () => {
    api = await startApi('paged-reads-e2e', [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['otherCoordinator', 'coordinator', 'enschede'],
      ['auditor', 'auditor', 'rotterdam'],
      ['outgoing', 'provider', 'welzijn-maas'],
      ['bystander', 'provider', 'stadsdeelwerk'],
    ]);

    await post('/transitions', real).expect(201);
    await post(`/transitions/${realId}/tasks/kick-off/complete`, { note: 'Held' }).expect(200);
    await post(`/transitions/${realId}/milestones/partners-introduced/sign-off`, {}).expect(200);

    for (const row of synthetic) {
      await api.db.admin.query(
        `INSERT INTO transition_summaries (transition_id, municipality, district, outgoing_provider, incoming_provider,
           go_live_date, template, state, at_risk, created_at, updated_at, last_position)
         VALUES ($1, 'rotterdam', $2, $3, 'buurtkracht', $4, 'provider-change', $5, $6, now(), now(), 0)`,
        [row.id, row.id.split('.')[1], row.outgoing, goLive, row.state, row.atRisk],
      );
      await api.db.admin.query(
        `INSERT INTO transition_tasks (transition_id, task_id, title, assignee_role, assignee, due_date, status, last_position)
         SELECT $1, t.id, t.id, t.role, t.assignee, $2, $3, 0
         FROM (VALUES ('task-a', 'outgoing', $4::text), ('task-b', 'outgoing', $4::text), ('task-c', 'incoming', 'buurtkracht')) AS t(id, role, assignee)`,
        [row.id, row.due, row.done ? 'done' : 'open', row.outgoing],
      );
    }
    // Notifications in groups of five created at the same microsecond.
    for (let n = 0; n < 25; n++) {
      await api.db.admin.query(
        `INSERT INTO notifications (id, organisation, kind, subject, body, transition_id, created_at)
         VALUES ($1, $2, $3, 'Herinnering', 'Tekst', $4, timestamptz '2026-11-01 10:00:00.123456+00' + make_interval(secs => $5))`,
        [`${synthetic[n].id}:alarm-${n}:welzijn-maas`, 'welzijn-maas', n % 3 === 0 ? 'escalation' : 'task-reminder', synthetic[n].id, Math.floor(n / 5)],
      );
    }
    await api.db.admin.query(
      `INSERT INTO notifications (id, organisation, kind, subject, body, transition_id) VALUES ('other', 'samen-sterk', 'escalation', 'x', 'y', $1)`,
      [synthetic[1].id],
    );
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
  });

  const as = (name: string) => ({ authorization: `Bearer ${api.users[name].token}` });
  const get = (path: string, who = 'coordinator') => request(api.app.getHttpServer()).get(path).set(as(who));
  const post = (path: string, payload: object, who = 'coordinator') => request(api.app.getHttpServer()).post(path).set(as(who)).send(payload);

  /** Every page of a list from `path` (a query string ends it), `limit` at a time. */
  async function allPages<T>(path: string, limit: number, who = 'coordinator'): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: request.Response = await get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, who).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }
  const ids = (items: Array<{ transitionId: string }>) => items.map((item) => item.transitionId);
  const refusedFor = async (path: string, field: string, who = 'coordinator', value?: string) => {
    const response = await get(path, who).expect(400);
    expect(response.body.message).toEqual([expect.stringContaining(field)]);
    if (value) expect(JSON.stringify(response.body)).not.toContain(value);
    return response.body.message[0] as string;
  };

  describe('GET /transitions', () => {
    it('pages by time to act with ties on the date: every handover once, in order, nothing skipped', async () => {
      const { items, pages } = await allPages<{ transitionId: string; actBy: string | null }>('/transitions', 7);
      expect(pages).toBe(Math.ceil((SYNTHETIC + 1) / 7));
      expect(new Set(ids(items)).size).toBe(SYNTHETIC + 1);
      const keys = items.map((item) => [item.actBy ?? 'infinity', item.transitionId].join(' '));
      expect(keys).toEqual([...keys].sort());
      expect(ids((await get('/transitions?limit=200').expect(200)).body.items)).toEqual(ids(items));
    });

    it('defines time to act: the next due open task (overdue first), go-live before it goes live, nothing to act on last', async () => {
      const { items } = await allPages<{ transitionId: string; actBy: string | null; tasks: object }>('/transitions', 200);
      for (const row of synthetic) {
        const item = items.find((candidate) => candidate.transitionId === row.id)!;
        expect({ id: row.id, actBy: item.actBy }).toEqual({ id: row.id, actBy: row.actBy });
        expect(item.tasks).toEqual({ done: row.done ? 3 : 0, total: 3 });
      }
      expect(items[0].actBy).toBe(addDays(today, -3));
      expect(items.slice(-12).every((item) => item.actBy === null)).toBe(true);
      const planned = items.find((item) => item.transitionId === realId)!;
      expect(planned).toMatchObject({ tasks: { done: 1, total: expect.any(Number) }, clients: { total: 0 }, campaign: null });
    });

    it('pages by go-live, the default page being 50', async () => {
      const first = (await get('/transitions?sort=go-live').expect(200)).body;
      expect(first.items).toHaveLength(50);
      const { items } = await allPages<{ transitionId: string; goLiveDate: string }>('/transitions?sort=go-live', 9);
      expect(ids(items).slice(0, 50)).toEqual(ids(first.items));
      expect(items.map((item) => `${item.goLiveDate} ${item.transitionId}`)).toEqual(items.map((item) => `${item.goLiveDate} ${item.transitionId}`).sort());
      expect(items[items.length - 1].transitionId).toBe(realId);
    });

    it('filters by state, risk and provider (outgoing or incoming) in SQL, page by page', async () => {
      const live = await allPages<{ transitionId: string }>('/transitions?state=live', 4);
      expect(ids(live.items).sort()).toEqual(synthetic.filter((row) => row.state === 'live').map((row) => row.id).sort());
      const atRisk = await allPages<{ transitionId: string }>('/transitions?atRisk=true', 3);
      expect(ids(atRisk.items).sort()).toEqual(synthetic.filter((row) => row.atRisk).map((row) => row.id).sort());
      const samenSterk = await allPages<{ transitionId: string }>('/transitions?provider=samen-sterk&sort=go-live', 8);
      expect(ids(samenSterk.items).sort()).toEqual(synthetic.filter((row) => row.outgoing === 'samen-sterk').map((row) => row.id).sort());
      const incoming = await allPages<{ transitionId: string }>('/transitions?provider=buurtkracht', 50);
      expect(incoming.items).toHaveLength(SYNTHETIC + 1);
      const both = await allPages<{ transitionId: string }>('/transitions?provider=welzijn-maas&state=cancelled', 2);
      expect(ids(both.items).sort()).toEqual(synthetic.filter((row) => row.outgoing === 'welzijn-maas' && row.state === 'cancelled').map((row) => row.id).sort());
    });

    it.each([['0'], ['201'], ['-1'], ['1.5'], ['ten'], ['99999']])('refuses limit=%s with 400 naming limit and its bounds', async (limit) => {
      expect(await refusedFor(`/transitions?limit=${limit}`, 'limit')).toBe('limit must be a whole number from 1 to 200');
    });

    it('refuses a tampered cursor, or one of another sort, with 400 naming cursor, never the value', async () => {
      const { nextCursor } = (await get('/transitions?limit=2').expect(200)).body;
      const decoded = JSON.parse(Buffer.from(nextCursor, 'base64url').toString('utf8'));
      const tampered = Buffer.from(JSON.stringify([decoded[0], decoded[1], "x' OR 1=1 --"])).toString('base64url');
      expect(await refusedFor(`/transitions?cursor=${tampered}`, 'cursor', 'coordinator', tampered)).toBe(CURSOR_RULE);
      await refusedFor(`/transitions?cursor=${nextCursor}&sort=go-live`, 'cursor', 'coordinator', nextCursor);
      await refusedFor(`/transitions?cursor=${nextCursor.slice(0, -2)}`, 'cursor', 'coordinator');
      await refusedFor('/transitions?cursor=not%20base64', 'cursor', 'coordinator');
      await refusedFor(`/transitions?cursor=${'A'.repeat(401)}`, 'cursor', 'coordinator');
      expect((await get(`/transitions?limit=2&cursor=${nextCursor}`).expect(200)).body.items).toHaveLength(2);
    });

    it("keeps the role rules: a municipality's own handovers, to coordinators and auditors only", async () => {
      expect((await get('/transitions?limit=200', 'auditor').expect(200)).body.items).toHaveLength(SYNTHETIC + 1);
      expect((await get('/transitions', 'otherCoordinator').expect(200)).body).toEqual({ items: [], nextCursor: null });
      await get('/transitions?municipality=rotterdam', 'otherCoordinator').expect(403);
      await get('/transitions', 'outgoing').expect(403);
    });
  });

  describe("a handover's detail and timeline", () => {
    it('serves the first 50 timeline events, newest first, and pages further back', async () => {
      const detail = (await get(`/transitions/${realId}`).expect(200)).body;
      const events: Array<{ stream_version: number; type: string }> = await api.db.admin.query(
        'SELECT stream_version, type FROM events WHERE stream_id = $1 ORDER BY stream_version DESC',
        [realId],
      );
      expect(detail.streamVersion).toBe(events[0].stream_version);
      expect(detail.timeline.map((entry: { streamVersion: number }) => entry.streamVersion)).toEqual(events.slice(0, 50).map((e) => e.stream_version));
      expect(detail.timelineNextCursor).toBe(events.length > 50 ? expect.any(String) : null);
      const { items, pages } = await allPages<{ streamVersion: number; type: string }>(`/transitions/${realId}/timeline`, 2);
      expect(pages).toBe(Math.ceil(events.length / 2));
      expect(items.map((entry) => [entry.streamVersion, entry.type])).toEqual(events.map((e) => [e.stream_version, e.type]));
      expect(items[items.length - 1]).toMatchObject({ type: 'TransitionPlanned', actor: { role: 'coordinator', organisation: 'rotterdam' } });
    });

    it("refuses another handover's timeline cursor and keeps the role rules", async () => {
      const { nextCursor } = (await get(`/transitions/${realId}/timeline?limit=1`).expect(200)).body;
      const other = `rotterdam.charlois.${real.goLiveDate}`;
      expect(await refusedFor(`/transitions/${realId}/timeline?limit=0`, 'limit')).toContain('1 to 200');
      await get(`/transitions/${other}/timeline?cursor=${nextCursor}`).expect(404);
      await api.db.admin.query(
        `INSERT INTO transition_summaries (transition_id, municipality, district, outgoing_provider, incoming_provider,
           go_live_date, template, state, created_at, updated_at, last_position)
         VALUES ($1, 'rotterdam', 'charlois', 'a', 'b', $2, 'provider-change', 'planned', now(), now(), 0)`,
        [other, real.goLiveDate],
      );
      await refusedFor(`/transitions/${other}/timeline?cursor=${nextCursor}`, 'cursor', 'coordinator', nextCursor);
      await get(`/transitions/${realId}/timeline`, 'otherCoordinator').expect(403);
      await get(`/transitions/${realId}/timeline`, 'outgoing').expect(403);
      await get(`/transitions/${realId}/timeline`, 'auditor').expect(200);
    });

    it('fills the detail read model of handovers recorded before it existed, at the next start', async () => {
      const before = (await get(`/transitions/${realId}`).expect(200)).body;
      expect(await api.db.admin.query('SELECT * FROM projection_rebuilds')).toEqual([]); // the migration's request, done at start
      await api.db.admin.query('DELETE FROM transition_details');
      await api.db.admin.query(`INSERT INTO projection_rebuilds (projection) VALUES ('transition_details')`);
      await get(`/transitions/${realId}`).expect(404);
      await api.app.get(PendingRebuilds).onApplicationBootstrap();
      expect((await get(`/transitions/${realId}`).expect(200)).body).toEqual(before);
      expect(await api.db.admin.query('SELECT * FROM projection_rebuilds')).toEqual([]);
    });

    it('leaves the rebuild to the process that holds it, and keeps the request until a rebuild has finished', async () => {
      await api.db.admin.query(`INSERT INTO projection_rebuilds (projection) VALUES ('transition_details')`);
      const other = new PgClient({ connectionString: api.db.url });
      await other.connect();
      try {
        // Another process rebuilding: this one starts without waiting and leaves the request.
        await other.query("SELECT pg_advisory_lock(hashtext('projection_rebuilds'), hashtext('transition_details'))");
        await api.app.get(PendingRebuilds).onApplicationBootstrap();
        expect(await api.db.admin.query('SELECT projection FROM projection_rebuilds')).toEqual([{ projection: 'transition_details' }]);
        // That process killed half-way (its session ends, the lock with it): the next start rebuilds.
        await other.end();
        await api.app.get(PendingRebuilds).onApplicationBootstrap();
        expect(await api.db.admin.query('SELECT * FROM projection_rebuilds')).toEqual([]);
        await get(`/transitions/${realId}`).expect(200);
      } finally {
        await other.end().catch(() => undefined);
      }
    });
  });

  describe('GET /me/tasks', () => {
    it("pages through the organisation's tasks by due date, ties by handover and task, nothing repeated or skipped", async () => {
      const expected: Array<{ transition_id: string; task_id: string }> = await api.db.admin.query(
        `SELECT transition_id, task_id FROM transition_tasks WHERE assignee = 'welzijn-maas' ORDER BY due_date, transition_id, task_id`,
      );
      const { items } = await allPages<{ transitionId: string; taskId: string }>('/me/tasks', 7, 'outgoing');
      expect(items.map((task) => `${task.transitionId}/${task.taskId}`)).toEqual(expected.map((row) => `${row.transition_id}/${row.task_id}`));
      const first = (await get('/me/tasks', 'outgoing').expect(200)).body;
      expect(first.items).toHaveLength(50);
      expect(first.nextCursor).toEqual(expect.any(String));
    });

    it('filters by status and handover in SQL; marks the overdue', async () => {
      const open = await allPages<{ status: string; overdue: boolean; dueDate: string }>('/me/tasks?status=open', 11, 'outgoing');
      expect(open.items.every((task) => task.status === 'open')).toBe(true);
      expect(open.items.filter((task) => task.overdue).every((task) => task.dueDate < today)).toBe(true);
      expect(open.items.some((task) => task.overdue)).toBe(true);
      const one = (await get(`/me/tasks?transitionId=${synthetic[4].id}`, 'outgoing').expect(200)).body;
      expect(one.items.map((task: { taskId: string }) => task.taskId)).toEqual(['task-a', 'task-b']);
      await refusedFor('/me/tasks?transitionId=nope', 'transitionId', 'outgoing');
    });

    it('keeps the role rules and reads limits and cursors strictly', async () => {
      expect((await get('/me/tasks', 'bystander').expect(200)).body).toEqual({ items: [], nextCursor: null });
      await get('/me/tasks', 'auditor').expect(403);
      await refusedFor('/me/tasks?limit=201', 'limit', 'outgoing');
      const transitionsCursor = (await get('/transitions?limit=1').expect(200)).body.nextCursor;
      await refusedFor(`/me/tasks?cursor=${transitionsCursor}`, 'cursor', 'outgoing', transitionsCursor);
    });
  });

  describe('GET /me/notifications', () => {
    it('pages through the inbox newest first, rows of one microsecond neither repeated nor skipped', async () => {
      const expected: Array<{ id: string }> = await api.db.admin.query(
        `SELECT id FROM notifications WHERE organisation = 'welzijn-maas' ORDER BY created_at DESC, id`,
      );
      expect(expected.length).toBeGreaterThanOrEqual(25); // the real handover's reminders may add some
      const { items, pages } = await allPages<{ id: string; organisation: string }>('/me/notifications', 4, 'outgoing');
      expect(pages).toBe(Math.ceil(expected.length / 4));
      expect(items.map((item) => item.id)).toEqual(expected.map((row) => row.id));
    });

    it('filters by kind and handover; another organisation sees only its own; auditors none', async () => {
      const escalations = await allPages<{ kind: string }>('/me/notifications?kind=escalation', 2, 'outgoing');
      const [{ n }] = await api.db.admin.query(`SELECT count(*)::int AS n FROM notifications WHERE organisation = 'welzijn-maas' AND kind = 'escalation'`);
      expect(escalations.items).toHaveLength(n);
      expect(n).toBeGreaterThanOrEqual(9);
      expect(escalations.items.every((item) => item.kind === 'escalation')).toBe(true);
      expect((await get(`/me/notifications?transitionId=${synthetic[1].id}`, 'outgoing').expect(200)).body.items).toHaveLength(1);
      expect((await get('/me/notifications', 'bystander').expect(200)).body).toEqual({ items: [], nextCursor: null });
      await get('/me/notifications', 'auditor').expect(403);
      await refusedFor('/me/notifications?kind=spam', 'kind', 'outgoing');
      await refusedFor('/me/notifications?cursor=AAAA', 'cursor', 'outgoing');
    });
  });

  // Last: its handover joins the lists above.
  describe('a long timeline', () => {
    it('shows the newest 50 events in the detail, kept inline by the projection, and the rest a page further', async () => {
      const planned = plannedFor('delfshaven', goLiveInDays(200));
      const id = planned.transitionId;
      const store = api.app.get(EventStore);
      await store.append(id, [{ ...anEvent('TransitionPlanned', { ...planned }), schemaVersion: 2 }], { expectedVersion: 0 });
      const reminders = Array.from({ length: 55 }, (_, n) =>
        anEvent('NotificationSent', { notificationId: `${id}:r${n}:welzijn-maas`, kind: 'task-reminder', organisation: 'welzijn-maas', taskId: null }),
      );
      await store.append(id, reminders, { expectedVersion: 1 });
      const detail = (await get(`/transitions/${id}`).expect(200)).body;
      expect(detail.streamVersion).toBe(56);
      expect(detail.timeline.map((entry: { streamVersion: number }) => entry.streamVersion)).toEqual(Array.from({ length: 50 }, (_, i) => 56 - i));
      expect(detail.timelineNextCursor).toEqual(expect.any(String));
      const rest = (await get(`/transitions/${id}/timeline?cursor=${detail.timelineNextCursor}`).expect(200)).body;
      expect(rest.items.map((entry: { streamVersion: number }) => entry.streamVersion)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(rest.nextCursor).toBeNull();
    });
  });
});
