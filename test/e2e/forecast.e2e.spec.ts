import { Client } from '@temporalio/client';
import request from 'supertest';
import { READINESS_SCHEDULE_ID } from '../../src/forecast/readiness-schedule';
import { eventually } from '../support/eventually';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

/** `GET /transitions/:transitionId/forecast` over HTTP, and the daily readiness check's schedule in Temporal. */
describe('the readiness forecast over HTTP', () => {
  let api: ListeningApi;
  const goLiveDate = goLiveInDays(150);
  const feijenoord = `rotterdam.feijenoord.${goLiveDate}`;

  beforeAll(async () => {
    api = await startApi('forecast-e2e', [
      ['rotterdam', 'coordinator', 'rotterdam'],
      ['enschede', 'coordinator', 'enschede'],
      ['auditor', 'auditor', 'rotterdam'],
      ['enschedeAuditor', 'auditor', 'enschede'],
      ['provider', 'provider', 'welzijn-maas'],
    ]);
    await request(api.app.getHttpServer())
      .post('/transitions')
      .set(bearer('rotterdam'))
      .send({ municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate })
      .expect(201);
    await request(api.app.getHttpServer()).post(`/transitions/${feijenoord}/tasks/kick-off/complete`).set(bearer('rotterdam')).send({}).expect(200);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const bearer = (who: string) => ({ authorization: `Bearer ${api.users[who].token}` });
  const forecast = (transitionId: string, who?: string) => {
    const call = request(api.app.getHttpServer()).get(`/transitions/${transitionId}/forecast`);
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
    const client = new Client({ connection: api.env.connection });
    const schedule = client.schedule.getHandle(READINESS_SCHEDULE_ID);
    const description = await eventually(() => schedule.describe());
    expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(description.spec.timezone).toBe('Europe/Amsterdam');
    await schedule.trigger();
    await eventually(async () => {
      const rows = await api.db.admin.query('SELECT transition_id, verdict FROM readiness_verdicts');
      expect(rows).toEqual([{ transition_id: feijenoord, verdict: 'on-time' }]);
    });
  });
});
