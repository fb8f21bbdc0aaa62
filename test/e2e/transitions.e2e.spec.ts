import { Client, WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { transitionStatusQuery } from '../../workflows/transition/definitions';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

/** A state with its clock readings reduced to whether they are set: the read model records its own. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => [key, ['completedAt', 'metAt', 'at', 'plannedAt', 'goLivePlannedAt'].includes(key) ? v !== null : withoutTimes(v)]),
  );
}

describe('transitions over HTTP (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  const goLiveDate = goLiveInDays(180);
  const body = {
    municipality: 'rotterdam',
    district: 'ijsselmonde',
    outgoingProvider: 'welzijn-maas',
    incomingProvider: 'buurtkracht',
    goLiveDate,
  };
  const transitionId = `rotterdam.ijsselmonde.${goLiveDate}`;
  const correlationId = '0f8fad5b-d9cb-469f-a165-70867728950e';

  beforeAll(async () => {
    api = await startApi('transitions-e2e', [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['colleague', 'coordinator', 'rotterdam'],
      ['otherCoordinator', 'coordinator', 'enschede'],
      ['outgoing', 'provider', 'welzijn-maas'],
      ['incoming', 'provider', 'buurtkracht'],
      ['bystander', 'provider', 'samen-sterk'],
      ['consortiumMember', 'provider', 'jongerenpunt'],
      ['auditor', 'auditor', 'rotterdam'],
    ]);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const as = (name: string) => ({ authorization: `Bearer ${api.users[name].token}` });
  const get = (path: string, who = 'coordinator') => request(api.app.getHttpServer()).get(path).set(as(who));
  const post = (path: string, payload: object, who = 'coordinator') =>
    request(api.app.getHttpServer()).post(path).set(as(who)).send(payload);
  const summaries = () => api.db.app.query('SELECT count(*)::int AS n FROM transition_summaries').then(([row]) => row.n);
  const events = (streamId = transitionId) =>
    api.db.app.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [streamId]).then(([row]) => row.n);
  async function workflowExists(workflowId: string): Promise<boolean> {
    try {
      await api.env.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  describe('the service', () => {
    it('reports PostgreSQL and Temporal healthy, without a token', async () => {
      const response = await request(api.app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, temporal: { status: 'up' } } });
    });

    it('serves the OpenAPI document', async () => {
      const response = await request(api.app.getHttpServer()).get('/api/docs-json').expect(200);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining([
          '/transitions', '/transitions/{transitionId}', '/transitions/{transitionId}/tasks/{taskId}/complete',
          '/transitions/{transitionId}/go-live', '/me/tasks', '/me/notifications', '/templates', '/health',
        ]),
      );
    });

    it('wants a valid bearer token everywhere else', async () => {
      await request(api.app.getHttpServer()).get('/transitions').expect(401);
      const response = await request(api.app.getHttpServer()).get('/transitions').set('authorization', 'Bearer ovd_forged').expect(401);
      expect(response.body.message).toBe('the bearer token is not valid');
    });

    it('lists the seeded plan templates with their milestones and tasks', async () => {
      const response = await get('/templates').expect(200);
      expect(response.body.map((t: { code: string; version: number }) => [t.code, t.version])).toEqual([
        ['continuation', 1],
        ['provider-change', 3],
      ]);
      const change = response.body.find((t: { code: string }) => t.code === 'provider-change');
      expect(change.definition.tasks.map((t: { key: string }) => t.key)).toEqual(
        expect.arrayContaining(['kick-off', 'client-list', 'client-files', 'residents-informed-incoming', 'keys-handed-over', 'go-no-go', 'evaluation']),
      );
      // Its client milestone is a check on the transfers' data (once there are any).
      expect(change.definition.milestones.find((m: { key: string }) => m.key === 'clients-transferred').check).toBe('client-transfers');
      // So is "residents informed": met when its approved resident campaign has informed everyone.
      expect(change.definition.milestones.find((m: { key: string }) => m.key === 'residents-informed').check).toBe('resident-campaign');
    });
  });

  describe('creating a handover', () => {
    it('plans it from the template, starts its workflow under the business id and lists it', async () => {
      const created = await post('/transitions', body).set('x-correlation-id', correlationId).expect(201);
      expect(created.body).toMatchObject({ transitionId, state: 'planned', plan: { ...body, template: { code: 'provider-change' } } });
      expect(created.body.tasks.find((t: { id: string }) => t.id === 'client-files')).toMatchObject({
        assignee: 'welzijn-maas',
        status: 'open',
      });
      const description = await api.env.client.workflow.getHandle(transitionId).describe();
      expect(description).toMatchObject({ type: 'transitionWorkflowV2', status: { name: 'RUNNING' } });

      const list = await get('/transitions').expect(200);
      expect(list.body).toEqual({
        items: [expect.objectContaining({ ...body, transitionId, state: 'planned', atRisk: false, overdueTasks: 0, tasks: { done: 0, total: expect.any(Number) } })],
        nextCursor: null,
      });
    });

    it('shows milestones, tasks, overdue counts and the timeline', async () => {
      const response = await get(`/transitions/${transitionId}`).expect(200);
      expect(response.body.milestones.map((m: { id: string }) => m.id)).toContain('residents-informed');
      expect(response.body.overdue).toEqual({ tasks: 0, taskIds: [] });
      expect(response.body.timeline).toEqual([
        expect.objectContaining({ type: 'TransitionPlanned', streamVersion: 1, actor: expect.objectContaining({ role: 'coordinator', organisation: 'rotterdam' }) }),
      ]);
      expect(response.body.timelineNextCursor).toBeNull();
    });

    it('answers a duplicate with 409 and changes nothing', async () => {
      const before = await summaries();
      const response = await post('/transitions', { ...body, incomingProvider: 'samen-sterk' }).expect(409);
      expect(response.body.message).toBe('this handover exists already');
      expect(await summaries()).toBe(before);
    });

    it.each([
      ['an unknown field', { ...body, district: 'charlois', budget: 100 }, 'unknown property (only these are allowed: municipality, district,'],
      ['a malformed date', { ...body, district: 'charlois', goLiveDate: '1-6-2027' }, 'goLiveDate'],
      ['an impossible date', { ...body, district: 'charlois', goLiveDate: '2099-02-30' }, 'goLiveDate'],
      ['a go-live today', { ...body, district: 'charlois', goLiveDate: goLiveInDays(0) }, 'goLiveDate must be after today'],
      ['a go-live in the past', { ...body, district: 'charlois', goLiveDate: '2022-06-01' }, 'goLiveDate must be after today'],
      ['the same provider twice', { ...body, district: 'charlois', incomingProvider: 'welzijn-maas' }, 'incomingProvider must differ from outgoingProvider'],
      ['two providers in a continuation', { ...body, district: 'charlois', template: 'continuation' }, 'incomingProvider must equal outgoingProvider'],
      ['a missing district', { ...body, district: undefined }, 'district'],
      ['a name instead of a code', { ...body, district: 'Hillegersberg-Schiebroek' }, 'district must be a lowercase code'],
      ['an unknown district', { ...body, district: 'atlantis' }, 'district must be a district of the municipality'],
      ['an unknown provider', { ...body, district: 'charlois', incomingProvider: 'nobody' }, 'incomingProvider must be a known provider'],
      ['an unknown template', { ...body, district: 'charlois', template: 'big-bang' }, 'template must be one of'],
    ])('rejects %s with 400 naming the field, starting and writing nothing', async (_case, invalid, message) => {
      const before = await summaries();
      const response = await post('/transitions', invalid).expect(400);
      expect(response.body.message).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      expect(await summaries()).toBe(before);
      const district = typeof invalid.district === 'string' ? invalid.district : 'none';
      expect(await workflowExists(`rotterdam.${district}.${invalid.goLiveDate}`)).toBe(false);
    });

    it('rejects a body that is not JSON with 400', async () => {
      await request(api.app.getHttpServer())
        .post('/transitions').set(as('coordinator')).set('content-type', 'application/json').send('{"municipality":')
        .expect(400);
    });

    it.each([
      ['a provider', 'outgoing'],
      ['an auditor', 'auditor'],
      ["another municipality's coordinator", 'otherCoordinator'],
    ])('is refused to %s with 403, starting nothing', async (_who, name) => {
      const before = await summaries();
      await post('/transitions', { ...body, district: 'delfshaven' }, name).expect(403);
      expect(await summaries()).toBe(before);
      expect(await workflowExists(`rotterdam.delfshaven.${goLiveDate}`)).toBe(false);
    });
  });

  describe('working on it', () => {
    const task = (taskId: string) => `/transitions/${transitionId}/tasks/${taskId}/complete`;

    it("lets each provider see its own organisation's tasks only", async () => {
      const mine = await get('/me/tasks', 'outgoing').expect(200);
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((t: { assignee: string }) => t.assignee === 'welzijn-maas')).toBe(true);
      expect((await get('/me/tasks', 'bystander').expect(200)).body).toEqual({ items: [], nextCursor: null });
    });

    it('completes tasks in dependency order, each an event', async () => {
      const before = await events();
      await post(task('client-list'), {}, 'outgoing').expect(409); // waits for the kick-off
      await post(task('kick-off'), { note: 'Held at the district office' }).expect(200);
      const done = await post(task('client-list'), { note: 'Delivered, pseudonymised' }, 'outgoing').expect(200);
      expect(done.body.tasks.find((t: { id: string }) => t.id === 'client-list').status).toBe('done');
      expect(done.body.state).toBe('preparing');
      expect(await events()).toBeGreaterThan(before);
      const mine = await get('/me/tasks?status=done', 'outgoing').expect(200);
      expect(mine.body.items.map((t: { taskId: string }) => t.taskId)).toEqual(['client-list']);
    });

    it('keeps notes out of the plain-text workflow history: every payload is encrypted', async () => {
      const history = await api.env.client.workflow.getHandle(transitionId).fetchHistory();
      const raw = JSON.stringify(history);
      expect(raw).not.toContain('Delivered, pseudonymised');
      expect(raw).not.toContain('welzijn-maas');
      expect(raw).toContain(Buffer.from('binary/encrypted').toString('base64'));
      const detail = await get(`/transitions/${transitionId}`).expect(200);
      expect(detail.body.tasks.find((t: { id: string }) => t.id === 'client-list').note).toBe('Delivered, pseudonymised');
    });

    it.each([
      ["another organisation's task", task('client-files'), 'incoming', {}, 403, 'assigned to another organisation'],
      ['an unknown task', task('no-such-task'), 'outgoing', {}, 404, 'does not exist'],
      ['a task already done', task('client-list'), 'outgoing', {}, 409, 'done already'],
      ['a malformed body', task('client-files'), 'outgoing', { note: 'x'.repeat(501) }, 400, 'note'],
      ['an unknown field', task('client-files'), 'outgoing', { notes: 'hi' }, 400, 'unknown property (only these are allowed: note)'],
      ['an auditor', task('client-files'), 'auditor', {}, 403, 'role'],
      ["another municipality's coordinator", task('kick-off'), 'otherCoordinator', {}, 403, 'belongs to another municipality'],
    ])('refuses %s with a clear 4xx and records nothing', async (_case, path, who, payload, status, message) => {
      const before = await events();
      const response = await post(path, payload, who).expect(status);
      expect(JSON.stringify(response.body.message)).toContain(message);
      expect(await events()).toBe(before);
    });

    it("lets a consortium's member complete the consortium's task", async () => {
      const enschede = { municipality: 'enschede', district: 'centrum', outgoingProvider: 'stadsdeelwerk', incomingProvider: 'twentse-wijkalliantie', goLiveDate };
      await post('/transitions', enschede, 'otherCoordinator').expect(201);
      const id = `enschede.centrum.${goLiveDate}`;
      await post(`/transitions/${id}/tasks/kick-off/complete`, {}, 'otherCoordinator').expect(200);
      const done = await post(`/transitions/${id}/tasks/location-agreements/complete`, {}, 'consortiumMember').expect(200);
      expect(done.body.tasks.find((t: { id: string }) => t.id === 'location-agreements').completedBy).toMatchObject({
        organisation: 'jongerenpunt',
      });
      expect((await get('/me/tasks', 'consortiumMember').expect(200)).body.items.map((t: { assignee: string }) => t.assignee)).toContain(
        'twentse-wijkalliantie',
      );
    });

    it('lets the coordinator reopen a task and sign off a milestone; not a provider', async () => {
      const before = await events();
      await post(`/transitions/${transitionId}/tasks/client-list/reopen`, { reason: 'List incomplete' }, 'outgoing').expect(403);
      await post(`/transitions/${transitionId}/milestones/partners-introduced/sign-off`, {}, 'outgoing').expect(403);
      expect(await events()).toBe(before);
      const reopened = await post(`/transitions/${transitionId}/tasks/client-list/reopen`, { reason: 'List incomplete' }).expect(200);
      expect(reopened.body.tasks.find((t: { id: string }) => t.id === 'client-list').status).toBe('open');
      const signed = await post(`/transitions/${transitionId}/milestones/partners-introduced/sign-off`, { note: 'Met in person' }).expect(200);
      expect(signed.body.milestones.find((m: { id: string }) => m.id === 'partners-introduced').met).toBe(true);
      await post(`/transitions/${transitionId}/milestones/partners-introduced/sign-off`, {}).expect(409);
      await post(`/transitions/${transitionId}/milestones/no-such/sign-off`, {}).expect(404);
    });
  });

  describe('moving go-live', () => {
    const move = (goLive: string, expected = goLiveDate) => ({ expectedGoLiveDate: expected, goLiveDate: goLive, reason: 'Locations not ready' });

    it('refuses a date in the past with 400, recording nothing', async () => {
      const before = await events();
      const response = await post(`/transitions/${transitionId}/go-live`, move('2022-06-01')).expect(400);
      expect(response.body.message).toEqual(expect.arrayContaining([expect.stringContaining('goLiveDate must be after today')]));
      expect(await events()).toBe(before);
    });

    it('lets one of two coordinators moving it at once win; the other gets 409', async () => {
      const before = await events();
      const [first, second] = await Promise.all([
        post(`/transitions/${transitionId}/go-live`, move(goLiveInDays(200)), 'coordinator'),
        post(`/transitions/${transitionId}/go-live`, move(goLiveInDays(210)), 'colleague'),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const loser = first.status === 409 ? first : second;
      expect(loser.body.message).toContain('moved by someone else first');
      const types: Array<{ type: string }> = await api.db.app.query(
        'SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version OFFSET $2', [transitionId, before],
      );
      expect(types.map((row) => row.type)).toEqual(['GoLiveMoved']);
      const winner = first.status === 200 ? first : second;
      expect((await get(`/transitions/${transitionId}`).expect(200)).body.plan.goLiveDate).toBe(winner.body.plan.goLiveDate);
      const list = await get('/transitions').expect(200);
      expect(list.body.items.find((t: { transitionId: string }) => t.transitionId === transitionId).goLiveDate).toBe(winner.body.plan.goLiveDate);
    });
  });

  describe('reading', () => {
    it("serves a handover's detail from its read model, as its workflow keeps it after the commands", async () => {
      const live = JSON.parse(JSON.stringify(await api.app.get(Client).workflow.getHandle(transitionId).query(transitionStatusQuery)));
      const { overdue, timeline, timelineNextCursor, clients, campaign, ...stored } = (await get(`/transitions/${transitionId}`).expect(200)).body;
      expect(withoutTimes(stored)).toEqual(withoutTimes({ ...live, clients: undefined }));
      // Its times are those the events were recorded at: the workflow's clock, plus the append.
      expect(Math.abs(stored.goLivePlannedAt - live.goLivePlannedAt)).toBeLessThan(5_000);
      stored.tasks.forEach((task: { plannedAt: number }, i: number) => expect(Math.abs(task.plannedAt - live.tasks[i].plannedAt)).toBeLessThan(5_000));
      expect(overdue).toEqual({ tasks: 0, taskIds: [] });
      expect(timeline[0].streamVersion).toBe(live.streamVersion);
      expect(timeline.map((entry: { type: string }) => entry.type)).toContain('GoLiveMoved');
      expect([timelineNextCursor, clients.total, campaign]).toEqual([null, 0, null]);
    });

    it("lets auditors read their municipality's handovers and change nothing", async () => {
      const list = await get('/transitions', 'auditor').expect(200);
      expect(list.body.items.map((t: { municipality: string }) => t.municipality)).toEqual(['rotterdam']);
      await get(`/transitions/${transitionId}`, 'auditor').expect(200);
      await get(`/transitions/${transitionId}/audit`, 'auditor').expect(200);
      await get('/audit/verify', 'auditor').expect(200);
      await post(`/transitions/${transitionId}/cancel`, { reason: 'no' }, 'auditor').expect(403);
    });

    it('filters by municipality, state and risk, within what the caller may see', async () => {
      expect((await get('/transitions?state=preparing').expect(200)).body.items.map((t: { transitionId: string }) => t.transitionId)).toEqual([transitionId]);
      expect((await get('/transitions?atRisk=true').expect(200)).body.items).toEqual([]);
      expect((await get('/transitions?municipality=rotterdam', 'auditor').expect(200)).body.items).toHaveLength(1);
      expect((await get('/transitions?provider=welzijn-maas').expect(200)).body.items).toHaveLength(1);
      expect((await get('/transitions?provider=buurtkracht').expect(200)).body.items).toHaveLength(1);
      expect((await get('/transitions?provider=samen-sterk').expect(200)).body.items).toHaveLength(0);
      await get('/transitions?municipality=enschede', 'auditor').expect(403);
      await get('/transitions?municipality=enschede').expect(403);
      await get('/transitions?state=sleeping').expect(400);
      await get(`/transitions/${transitionId}`, 'otherCoordinator').expect(403);
      await get(`/transitions/${transitionId}`, 'outgoing').expect(403);
    });

    it('exports the audit trail as JSON, with actors, correlation id and a digest', async () => {
      const response = await get(`/transitions/${transitionId}/audit`).expect(200);
      const [planned] = response.body.events;
      expect(planned).toMatchObject({
        type: 'TransitionPlanned',
        streamVersion: 1,
        metadata: { actor: { role: 'coordinator', organisation: 'rotterdam' }, correlationId, workflowId: transitionId },
      });
      expect(response.body.events.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['TaskCompleted', 'TaskReopened', 'MilestoneSignedOff', 'GoLiveMoved']),
      );
      const last = response.body.events[response.body.events.length - 1];
      expect(response.body.digest).toEqual({ algorithm: 'SHA-256', headHash: last.hash, events: response.body.events.length });
    });

    it('exports the audit trail as CSV for Dutch Excel: BOM, semicolons, CRLF, digest last', async () => {
      const json = (await get(`/transitions/${transitionId}/audit`).expect(200)).body;
      const response = await get(`/transitions/${transitionId}/audit?format=csv`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(response.headers['content-disposition']).toContain(`audit-${transitionId}.csv`);
      const bytes = response.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      expect(lines[0].split(';')[0]).toBe('global_position');
      expect(lines[1]).toContain(';TransitionPlanned;');
      expect(lines[lines.length - 1]).toBe(`digest;SHA-256;${json.digest.headHash};events;${json.digest.events}`);
    });

    it('verifies the audit trail, for one stream and for all; providers may not', async () => {
      const one = await get(`/audit/verify?streamId=${transitionId}`).expect(200);
      expect(one.body).toMatchObject({ intact: true, streams: 1, firstBroken: null });
      expect((await get('/audit/verify').expect(200)).body).toMatchObject({ intact: true, firstBroken: null });
      await get('/audit/verify', 'outgoing').expect(403);
    });

    it('rejects an unknown export format and answers 404 for an unknown transition', async () => {
      const response = await get(`/transitions/${transitionId}/audit?format=xlsx`).expect(400);
      expect(response.body.message).toEqual(['format must be json or csv']);
      await get(`/transitions/rotterdam.delfshaven.${goLiveDate}`).expect(404);
      const malformed = await get('/transitions/not-an-id').expect(400);
      expect(malformed.body.message).toEqual([expect.stringContaining('transitionId')]);
    });
  });

  describe('cancelling', () => {
    it('ends the handover; later commands get 409', async () => {
      await post(`/transitions/${transitionId}/cancel`, { reason: 'x' }).expect(400); // a reason of 3+ characters
      await post(`/transitions/${transitionId}/cancel`, { reason: 'Assignment withdrawn' }, 'outgoing').expect(403);
      const cancelled = await post(`/transitions/${transitionId}/cancel`, { reason: 'Assignment withdrawn' }).expect(200);
      expect(cancelled.body.state).toBe('cancelled');
      await post(`/transitions/${transitionId}/tasks/client-files/complete`, {}, 'outgoing').expect(409);
      expect((await get('/transitions?state=cancelled').expect(200)).body.items).toHaveLength(1);
    });
  });
});
