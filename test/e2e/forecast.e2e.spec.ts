import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { READINESS_SCHEDULE_ID } from '../../src/forecast/readiness-schedule';
import { configureHttp } from '../../src/http';
import { createTestUser, seedOrganisations, TestUser } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { goLiveInDays } from '../support/plans';
import { startTemporalDevServer } from '../support/temporal';

/** `GET /transitions/:transitionId/forecast` over HTTP, and the daily readiness check's schedule in Temporal. */
describe('the readiness forecast over HTTP', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sink: SmtpSink;
  let app: INestApplication;
  const users: Record<string, TestUser> = {};
  const goLiveDate = goLiveInDays(150);
  const feijenoord = `rotterdam.feijenoord.${goLiveDate}`;

  beforeAll(async () => {
    [env, db, sink] = await Promise.all([startTemporalDevServer(), createTestDatabase(), SmtpSink.start(0)]);
    await seedOrganisations(db.admin);
    for (const [name, role, organisation] of [
      ['rotterdam', 'coordinator', 'rotterdam'],
      ['enschede', 'coordinator', 'enschede'],
      ['auditor', 'auditor', 'rotterdam'],
      ['enschedeAuditor', 'auditor', 'enschede'],
      ['provider', 'provider', 'welzijn-maas'],
    ] as const) {
      users[name] = await createTestUser(db.app, role, organisation);
    }
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: 'forecast-e2e',
      SMTP_URL: sink.url,
      DEMO_DATA: 'false',
      PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CLIENT_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ http: true, runWorker: true })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttp(app);
    await app.init();
    await request(app.getHttpServer())
      .post('/transitions')
      .set(bearer('rotterdam'))
      .send({ municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate })
      .expect(201);
    await request(app.getHttpServer()).post(`/transitions/${feijenoord}/tasks/kick-off/complete`).set(bearer('rotterdam')).send({}).expect(200);
  });
  afterAll(async () => {
    await app?.close();
    await env?.teardown();
    await sink?.stop();
    await db?.drop();
  });

  const bearer = (who: string) => ({ authorization: `Bearer ${users[who].token}` });
  const forecast = (transitionId: string, who?: string) => {
    const call = request(app.getHttpServer()).get(`/transitions/${transitionId}/forecast`);
    return who ? call.set(bearer(who)) : call;
  };

  it('answers a coordinator of the municipality and its auditor with the forecast, in Dutch, counts and dates only', async () => {
    for (const who of ['rotterdam', 'auditor']) {
      const { body } = await forecast(feijenoord, who).expect(200);
      expect(body).toMatchObject({
        transitionId: feijenoord,
        municipality: 'rotterdam',
        state: 'preparing',
        goLiveDate,
        windowDays: 1, // planned today: its pace counts from today
        verdict: 'on-time',
        daysBeforeGoLive: expect.any(Number),
        method: expect.stringContaining('laatste 4 weken'),
      });
      expect(body.sentence).toMatch(/^Op dit tempo klaar op \d+ \S+( \d{4})?, \d+ dagen voor de start\.$/);
      expect(body.streams.map((s: { stream: string; status: string }) => [s.stream, s.status])).toEqual([
        ['tasks', 'on-pace'], ['clients', 'nothing-to-do'], ['campaign', 'nothing-to-do'],
      ]);
      expect(body.streams[0]).toMatchObject({ done: 1, total: 11, doneAtWindowStart: 0, sentence: expect.stringMatching(/^Taken: 1 van 11 klaar\./) });
      expect(body.streams[0].series).toHaveLength(2);
    }
  });

  it('refuses without a token (401), other roles and other municipalities (403), and says 404 or 400 for ids', async () => {
    await forecast(feijenoord).expect(401);
    await forecast(feijenoord, 'provider').expect(403);
    for (const who of ['enschede', 'enschedeAuditor']) {
      expect((await forecast(feijenoord, who).expect(403)).body.message).toBe('the handover belongs to another municipality');
    }
    await forecast(`rotterdam.charlois.${goLiveDate}`, 'rotterdam').expect(404);
    await forecast('not-a-handover', 'rotterdam').expect(400);
  });

  it('schedules the daily readiness check in Temporal, whose run records a verdict per open handover', async () => {
    const client = new Client({ connection: env.connection });
    const schedule = client.schedule.getHandle(READINESS_SCHEDULE_ID);
    const description = await eventually(() => schedule.describe());
    expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(description.spec.timezone).toBe('Europe/Amsterdam');
    await schedule.trigger();
    await eventually(async () => {
      const rows = await db.admin.query('SELECT transition_id, verdict FROM readiness_verdicts');
      expect(rows).toEqual([{ transition_id: feijenoord, verdict: 'on-time' }]);
    });
  });
});
