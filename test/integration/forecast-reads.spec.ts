import { randomBytes, randomUUID } from 'node:crypto';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { CampaignProjection } from '../../src/campaigns/campaign.projection';
import { transferIdOf } from '../../src/clients/client.events';
import { ClientTransferProjection } from '../../src/clients/client-transfer.projection';
import type { ClientVault } from '../../src/clients/vault/client-vault';
import { readForecastSubjects } from '../../src/forecast/forecast-reads';
import { ForecastService } from '../../src/forecast/forecast.service';
import { checkReadiness } from '../../src/forecast/readiness-check';
import type { Mailer } from '../../src/notifications/mailer.service';
import { createNotificationActivities } from '../../src/notifications/notification.activities';
import { TaskProjection } from '../../src/tasks/task.projection';
import { amsterdamToday, startOfAmsterdamDay } from '../../src/time/amsterdam';
import { addDays } from '../../src/time/calendar';
import { TransitionSummaryProjection } from '../../src/transitions/transition-summary.projection';
import { seedOrganisations } from '../support/access';
import { sampleCampaignFields } from '../support/campaign-fields';
import { createTestDatabase, TestDatabase } from '../support/database';
import { anEvent, eventStoreFor } from '../support/event-store';
import { goLiveInDays, plannedFor } from '../support/plans';

/**
 * The forecast's reads on a real database: the read models and a campaign's events, written as
 * the service writes them, some moved back in time as weeks of work would have left them; and
 * the daily readiness check, which alerts a municipality once when a handover turns late.
 */
describe('the readiness forecast on the read models', () => {
  let db: TestDatabase;
  const today = amsterdamToday();
  const daysAgo = (days: number) => startOfAmsterdamDay(addDays(today, -days));
  const feijenoord = plannedFor('feijenoord', goLiveInDays(60));
  const charlois = plannedFor('charlois', goLiveInDays(100));
  const campaignId = randomUUID();
  const pseudonyms = Array.from({ length: 4 }, () => randomBytes(10).toString('hex'));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedOrganisations(db.admin);
    const vault = { shred: async () => undefined } as unknown as ClientVault;
    const store = eventStoreFor(db.app, [
      new TransitionSummaryProjection(), new TaskProjection(), new ClientTransferProjection(vault), new CampaignProjection(),
    ]);
    for (const plan of [feijenoord, charlois]) await store.append(plan.transitionId, [anEvent('TransitionPlanned', plan)]);
    const id = feijenoord.transitionId;
    await store.append(id, [anEvent('TaskCompleted', { taskId: 'kick-off', note: null }), anEvent('TaskCompleted', { taskId: 'staff-agreements', note: null })]);
    // The evaluation (due after go-live) is no part of being ready, done or not.
    await store.append(id, [anEvent('TaskCompleted', { taskId: 'evaluation', note: null })]);
    for (const pseudonym of pseudonyms) {
      await store.append(transferIdOf(id, pseudonym), [
        anEvent('ClientListed', {
          transitionId: id, pseudonym, importId: randomUUID(), targetGroup: 'ouderen', municipality: 'rotterdam',
          district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht',
        }),
      ]);
    }
    for (const pseudonym of pseudonyms.slice(0, 2)) {
      await store.append(transferIdOf(id, pseudonym), [anEvent('TransferFinished', { pseudonym, outcome: 'accepted' })]);
    }
    const campaign = campaignIdOf(id, campaignId);
    await store.append(campaign, [
      anEvent('CampaignDrafted', {
        campaignId, transitionId: id, municipality: 'rotterdam', district: 'feijenoord', templateVersion: 1,
        fields: { ...sampleCampaignFields(), district: 'Feijenoord', goLiveDate: feijenoord.goLiveDate }, deadline: addDays(feijenoord.goLiveDate, -14),
      }),
      anEvent('CampaignApproved', { templateVersion: 1, messageSha256: 'x' }),
      anEvent('RecipientsFrozen', { addressLetters: 100, clientLetters: 0, emails: 100 }),
    ]);
    await store.append(campaign, [anEvent('EmailPageSent', { sent: 45, bounced: 3, deferred: 0, skipped: 2, fallbackLetters: 0, remaining: 50 })]);
    await store.append(campaign, [anEvent('LetterBatchRendered', { batchNo: 1, letters: 29, skipped: 1, pdfSha256: 'x' })]);
    await store.append(campaign, [anEvent('LetterBatchPosted', { batchNo: 1, letters: 29 })]);

    // Weeks of work: both handovers planned 60 days ago, one task done 40 days ago, the e-mails 40 days ago.
    await db.admin.query('UPDATE transition_summaries SET created_at = $1', [daysAgo(60)]);
    await db.admin.query("UPDATE transition_tasks SET completed_at = $2 WHERE transition_id = $1 AND task_id = 'kick-off'", [id, daysAgo(40)]);
    await db.admin.query("UPDATE transition_tasks SET completed_at = $2 WHERE transition_id = $1 AND task_id = 'staff-agreements'", [id, daysAgo(3)]);
    await db.admin.transaction(async (manager) => {
      await manager.query('ALTER TABLE events DISABLE TRIGGER USER');
      await manager.query("UPDATE events SET recorded_at = $2 WHERE stream_id = $1 AND type = 'EmailPageSent'", [campaign, daysAgo(40)]);
      await manager.query('ALTER TABLE events ENABLE TRIGGER USER');
    });
  });
  afterAll(() => db?.drop());

  it('reads per stream the totals and what got done per day of the window, for several handovers in the same queries', async () => {
    const subjects = await readForecastSubjects(db.app, [feijenoord.transitionId, charlois.transitionId, 'rotterdam.delfshaven.2030-01-01'], today, 28);
    expect([...subjects.keys()].sort()).toEqual([charlois.transitionId, feijenoord.transitionId]);
    const { input, municipality, state } = subjects.get(feijenoord.transitionId)!;
    expect({ municipality, state }).toEqual({ municipality: 'rotterdam', state: 'planned' });
    expect(input).toMatchObject({ goLiveDate: feijenoord.goLiveDate, startedOn: addDays(today, -60), today, windowDays: 28 });
    const dueByGoLive = feijenoord.tasks.filter((task) => task.dueDate <= feijenoord.goLiveDate).length;
    expect(input.streams).toEqual([
      { stream: 'tasks', total: dueByGoLive, done: 2, doneByDay: [{ date: addDays(today, -3), count: 1 }] },
      { stream: 'clients', total: 4, done: 2, doneByDay: [{ date: today, count: 2 }] },
      // Done: 45 sent + 3 bounced + 2 skipped (40 days ago), 1 skipped and 29 posted letters (today); of 200.
      { stream: 'campaign', total: 200, done: 80, doneByDay: [{ date: today, count: 30 }] },
    ]);
    expect(subjects.get(charlois.transitionId)!.input.streams.map((s) => [s.stream, s.done, s.doneByDay.length])).toEqual([
      ['tasks', 0, 0], ['clients', 0, 0], ['campaign', 0, 0],
    ]);
  });

  it('forecasts one handover or several, leaving out ids it does not know', async () => {
    const service = new ForecastService(db.app);
    const one = await service.forTransition(feijenoord.transitionId);
    expect(one).toMatchObject({ transitionId: feijenoord.transitionId, municipality: 'rotterdam', windowDays: 28, verdict: 'late' });
    expect(one!.streams.map((s) => s.status)).toEqual(['on-pace', 'on-pace', 'on-pace']);
    expect(one!.sentence).toMatch(/^Op dit tempo klaar op .+ te laat\.$/);
    expect(await service.forTransition('rotterdam.delfshaven.2030-01-01')).toBeUndefined();
    const many = await service.forTransitions([feijenoord.transitionId, charlois.transitionId]);
    expect(many.get(charlois.transitionId)).toMatchObject({ verdict: 'unknown', readyDate: null });
  });

  it('alerts the municipality once when a handover turns late, however often the check runs', async () => {
    const send = jest.fn(async () => undefined);
    const { sendNotification } = createNotificationActivities({ dataSource: db.app, mailer: { send } as unknown as Mailer });
    const alerts = async (transitionId: string) =>
      (await db.admin.query("SELECT organisation, subject FROM notifications WHERE kind = 'readiness-late' AND transition_id = $1", [transitionId])) as Array<{ organisation: string; subject: string }>;
    const verdict = async (transitionId: string) =>
      (await db.admin.query("SELECT verdict, to_char(since, 'YYYY-MM-DD') AS since FROM readiness_verdicts WHERE transition_id = $1", [transitionId]))[0];

    // Feijenoord is late at its first check; Charlois has no pace yet, with go-live 100 days away.
    expect(await checkReadiness(db.app, sendNotification, today)).toEqual({ checked: 2, late: 1, alerted: 1 });
    expect(await alerts(feijenoord.transitionId)).toEqual([
      { organisation: 'rotterdam', subject: `At this pace ${feijenoord.transitionId} will not be ready for go-live on ${feijenoord.goLiveDate}` },
    ]);
    expect(await verdict(charlois.transitionId)).toEqual({ verdict: 'unknown', since: today });

    // Go-live moves near: without pace, Charlois turns late.
    await db.admin.query('UPDATE transition_summaries SET go_live_date = $2 WHERE transition_id = $1', [charlois.transitionId, goLiveInDays(10)]);
    expect(await checkReadiness(db.app, sendNotification, today)).toEqual({ checked: 2, late: 2, alerted: 1 });
    expect(await checkReadiness(db.app, sendNotification, today)).toEqual({ checked: 2, late: 2, alerted: 0 });
    expect(await alerts(charlois.transitionId)).toHaveLength(1);
    expect(await alerts(feijenoord.transitionId)).toHaveLength(1);
    expect(await verdict(charlois.transitionId)).toEqual({ verdict: 'late', since: today });

    // A check stopped after its alert, before it recorded the verdict, alerts again under the same id: still one.
    await db.admin.query('DELETE FROM readiness_verdicts WHERE transition_id = $1', [charlois.transitionId]);
    expect(await checkReadiness(db.app, sendNotification, today)).toMatchObject({ alerted: 1 });
    expect(await alerts(charlois.transitionId)).toHaveLength(1);

    // Cancelled handovers are not checked.
    await db.admin.query("UPDATE transition_summaries SET state = 'cancelled' WHERE transition_id = $1", [charlois.transitionId]);
    expect(await checkReadiness(db.app, sendNotification, today)).toEqual({ checked: 1, late: 1, alerted: 0 });
  });
});
