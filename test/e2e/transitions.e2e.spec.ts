import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureHttp } from '../../src/http';
import { TransitionSummary } from '../../src/transitions/transition-summary.entity';
import { createTestDatabase, TestDatabase } from '../support/database';
import { goLiveInDays } from '../support/plans';
import { startTemporalDevServer } from '../support/temporal';

describe('transitions over HTTP (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let app: INestApplication;
  const goLiveDate = goLiveInDays(180);
  const body = {
    municipality: 'rotterdam',
    district: 'ijsselmonde',
    outgoingProvider: 'welzijn-maas',
    incomingProvider: 'buurtkracht',
    goLiveDate,
  };
  const transitionId = `rotterdam.ijsselmonde.${goLiveDate}`;

  beforeAll(async () => {
    [env, db] = await Promise.all([startTemporalDevServer(), createTestDatabase()]);
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: 'transitions-e2e',
      LOG_LEVEL: 'warn',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ http: true, runWorker: true })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttp(app);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await env?.teardown();
    await db?.drop();
  });

  const api = () => request(app.getHttpServer());
  const summaries = () => db.app.getRepository(TransitionSummary).count();
  async function workflowExists(workflowId: string): Promise<boolean> {
    try {
      await env.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  it('reports PostgreSQL and Temporal healthy', async () => {
    const response = await api().get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('serves the OpenAPI document', async () => {
    const response = await api().get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/transitions', '/transitions/{transitionId}', '/health']),
    );
  });

  const correlationId = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('creates a transition, starts its workflow under the business id and lists it', async () => {
    const created = await api().post('/transitions').set('x-correlation-id', correlationId).send(body).expect(201);
    expect(created.body).toMatchObject({ ...body, transitionId, state: 'planned' });

    const description = await env.client.workflow.getHandle(transitionId).describe();
    expect(description).toMatchObject({ type: 'transitionWorkflow', status: { name: 'RUNNING' } });

    const read = await api().get(`/transitions/${transitionId}`).expect(200);
    expect(read.body).toMatchObject({ transitionId, state: 'planned', goLiveDate });

    const list = await api().get('/transitions').expect(200);
    expect(list.body).toEqual([expect.objectContaining({ ...body, transitionId, state: 'planned' })]);
  });

  it('answers a duplicate with 409 and changes nothing', async () => {
    const before = await summaries();
    const response = await api().post('/transitions').send({ ...body, incomingProvider: 'another' }).expect(409);
    expect(response.body.message).toContain(transitionId);
    expect(await summaries()).toBe(before);
    const read = await api().get(`/transitions/${transitionId}`).expect(200);
    expect(read.body.incomingProvider).toBe('buurtkracht');
  });

  it.each([
    ['an unknown field', { ...body, district: 'charlois', budget: 100 }, 'property budget should not exist'],
    ['a malformed date', { ...body, district: 'charlois', goLiveDate: '1-6-2027' }, 'goLiveDate'],
    ['an impossible date', { ...body, district: 'charlois', goLiveDate: '2099-02-30' }, 'goLiveDate'],
    ['a go-live today', { ...body, district: 'charlois', goLiveDate: goLiveInDays(0) }, 'goLiveDate must be after today'],
    ['a go-live in the past', { ...body, district: 'charlois', goLiveDate: '2022-06-01' }, 'goLiveDate must be after today'],
    ['the same provider twice', { ...body, district: 'charlois', incomingProvider: 'welzijn-maas' }, 'incomingProvider must differ from outgoingProvider'],
    ['a missing district', { ...body, district: undefined }, 'district'],
    ['a name instead of a code', { ...body, district: 'Hillegersberg-Schiebroek' }, 'district must be a lowercase code'],
  ])('rejects %s with 400 naming the field, starting and writing nothing', async (_case, invalid, message) => {
    const before = await summaries();
    const response = await api().post('/transitions').send(invalid).expect(400);
    expect(response.body.message).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
    expect(await summaries()).toBe(before);
    const district = typeof invalid.district === 'string' ? invalid.district : 'none';
    expect(await workflowExists(`rotterdam.${district}.${invalid.goLiveDate}`)).toBe(false);
  });

  it('rejects a body that is not JSON with 400', async () => {
    await api().post('/transitions').set('content-type', 'application/json').send('{"municipality":').expect(400);
  });

  it('exports the audit trail as JSON, with actor, correlation id and a digest', async () => {
    const response = await api().get(`/transitions/${transitionId}/audit`).expect(200);
    expect(response.body.events).toEqual([
      expect.objectContaining({
        type: 'TransitionPlanned',
        streamVersion: 1,
        data: expect.objectContaining(body),
        metadata: expect.objectContaining({
          actor: { user: 'anonymous', organisation: null, role: 'unauthenticated' },
          correlationId,
          workflowId: transitionId,
        }),
      }),
    ]);
    expect(response.body.digest).toEqual({ algorithm: 'SHA-256', headHash: response.body.events[0].hash, events: 1 });
  });

  it('exports the audit trail as CSV for Dutch Excel: BOM, semicolons, CRLF, digest last', async () => {
    const json = (await api().get(`/transitions/${transitionId}/audit`).expect(200)).body;
    const response = await api()
      .get(`/transitions/${transitionId}/audit?format=csv`)
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
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(';TransitionPlanned;');
    expect(lines[2]).toBe(`digest;SHA-256;${json.digest.headHash};events;1`);
  });

  it('verifies the audit trail over HTTP, for one stream and for all', async () => {
    const one = await api().get(`/audit/verify?streamId=${transitionId}`).expect(200);
    expect(one.body).toMatchObject({ intact: true, streams: 1, events: 1, firstBroken: null });
    const all = await api().get('/audit/verify').expect(200);
    expect(all.body).toMatchObject({ intact: true, firstBroken: null });
  });

  it('rejects an unknown export format and answers 404 for a transition without a trail', async () => {
    const response = await api().get(`/transitions/${transitionId}/audit?format=xlsx`).expect(400);
    expect(response.body.message).toEqual(['format must be json or csv']);
    await api().get(`/transitions/rotterdam.delfshaven.${goLiveDate}/audit`).expect(404);
  });

  it('answers 404 for a transition that does not exist and 400 for a malformed id', async () => {
    await api().get(`/transitions/rotterdam.delfshaven.${goLiveDate}`).expect(404);
    const response = await api().get('/transitions/not-an-id').expect(400);
    expect(response.body.message).toEqual([expect.stringContaining('transitionId')]);
  });
});
