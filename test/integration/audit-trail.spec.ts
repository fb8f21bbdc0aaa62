import { randomUUID } from 'node:crypto';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { eventHash } from '../../src/events/event-hash';
import { EventStore } from '../../src/events/event-store.service';
import { Projector } from '../../src/events/projector.service';
import { TransitionDetailProjection } from '../../src/transitions/reads/transition-detail.projection';
import { TransitionSummaryProjection } from '../../src/transitions/transition-summary.projection';
import { TaskProjection } from '../../src/tasks/task.projection';
import { createTestDatabase, TestDatabase } from '../support/database';
import { anEvent, eventStoreFor } from '../support/event-store';
import { eventually } from '../support/eventually';
import { plannedFor } from '../support/plans';

describe('audit trail: append-only, tamper-evident, rebuildable', () => {
  let db: TestDatabase;
  let store: EventStore;
  let verifier: AuditVerifier;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = eventStoreFor(db.app);
    verifier = new AuditVerifier(db.app);
  });
  afterAll(() => db?.drop());

  async function someStream(events = 3): Promise<string> {
    const id = `test.${randomUUID()}`;
    await store.append(id, Array.from({ length: events }, (_, i) => anEvent('Noted', { i })));
    return id;
  }

  describe('the database refuses changes to events', () => {
    let position: number;
    beforeAll(async () => {
      const [event] = await store.readStream(await someStream(1));
      position = event.globalPosition;
    });

    it.each([
      ['UPDATE', () => `UPDATE events SET type = 'Forged' WHERE global_position = ${position}`],
      ['DELETE', () => `DELETE FROM events WHERE global_position = ${position}`],
      ['TRUNCATE', () => 'TRUNCATE events'],
    ])('%s, even from the tables owner', async (operation, sql) => {
      await expect(db.admin.query(sql())).rejects.toThrow(`events are append-only: ${operation} refused`);
    });

    it.each([
      'UPDATE events SET type = \'Forged\'',
      'DELETE FROM events',
      'TRUNCATE events',
      'ALTER TABLE events DISABLE TRIGGER ALL',
      'DROP TRIGGER events_refuse_update_delete ON events',
      'DROP TABLE events',
    ])('and the application role may not even try: %s', async (sql) => {
      await expect(db.app.query(sql)).rejects.toThrow(/permission denied|must be owner/);
    });

    it('so the event is as it was', async () => {
      const [row] = await db.app.query('SELECT type FROM events WHERE global_position = $1', [position]);
      expect(row.type).toBe('Noted');
    });
  });

  describe('verification', () => {
    it('finds every chain intact, for one stream and for all', async () => {
      const id = await someStream(4);
      expect(await verifier.verify(id)).toMatchObject({ intact: true, streams: 1, events: 4, firstBroken: null });
      const all = await verifier.verify();
      expect(all.intact).toBe(true);
      expect(all.events).toBeGreaterThanOrEqual(4);
    });

    /** What someone with superuser rights could do: switch the triggers off and edit. */
    async function behindTheTriggersBack(sql: string, params: unknown[]): Promise<void> {
      await db.admin.transaction(async (manager) => {
        await manager.query('ALTER TABLE events DISABLE TRIGGER USER');
        await manager.query(sql, params);
        await manager.query('ALTER TABLE events ENABLE TRIGGER USER');
      });
    }

    it('names the first changed event', async () => {
      const id = await someStream(3);
      const [, second] = await store.readStream(id);
      await behindTheTriggersBack(
        `UPDATE events SET data = jsonb_set(data, '{i}', '99') WHERE global_position = $1`,
        [second.globalPosition],
      );
      expect(await verifier.verify(id)).toMatchObject({
        intact: false,
        firstBroken: { globalPosition: second.globalPosition, streamId: id, streamVersion: 2, reason: expect.stringContaining('changed') },
      });
      expect((await verifier.verify()).firstBroken?.globalPosition).toBe(second.globalPosition);
    });

    it('notices a removed event at the one that follows it', async () => {
      const id = await someStream(3);
      const [, second, third] = await store.readStream(id);
      await behindTheTriggersBack('DELETE FROM events WHERE global_position = $1', [second.globalPosition]);
      expect((await verifier.verify(id)).firstBroken).toMatchObject({
        globalPosition: third.globalPosition,
        reason: expect.stringContaining('missing'),
      });
    });

    it("verifies a municipality's streams only: another's broken chain is neither counted nor reported", async () => {
      const own = `almere.centrum.${randomUUID().slice(0, 4)}`;
      const other = `zwolle.centrum.${randomUUID().slice(0, 4)}`;
      await store.append(own, [anEvent('Noted', { i: 1 }), anEvent('Noted', { i: 2 })]);
      await store.append(other, [anEvent('Noted', { i: 1 })]);
      await store.append(`almere-stad.centrum.${randomUUID().slice(0, 4)}`, [anEvent('Noted', { i: 1 })]);
      const [otherEvent] = await store.readStream(other);
      await behindTheTriggersBack(`UPDATE events SET data = '{"i": 7}' WHERE global_position = $1`, [otherEvent.globalPosition]);

      expect(await verifier.verify({ municipality: 'almere' })).toMatchObject({
        intact: true, scope: { municipality: 'almere', streamId: null }, streams: 1, events: 2, firstBroken: null,
      });
      expect(await verifier.verify({ municipality: 'zwolle' })).toMatchObject({
        intact: false, scope: { municipality: 'zwolle' }, firstBroken: { streamId: other, streamVersion: 1 },
      });
      expect(await verifier.verify({ municipality: 'almere', streamId: other })).toMatchObject({ intact: true, streams: 0 });
    });

    it("covers the streams of a municipality's handovers: client transfers, audiences and campaigns, never another's", async () => {
      const suffix = randomUUID().slice(0, 4);
      const own = `lelystad.centrum.${suffix}`;
      const other = `dronten.centrum.${suffix}`;
      const streamsOf = (transitionId: string) => [
        transitionId,
        `transfer.${transitionId}.p-${suffix}`,
        `audience.${transitionId}`,
        `campaign.${transitionId}.c-${suffix}`,
      ];
      for (const stream of [...streamsOf(own), ...streamsOf(other)]) {
        await store.append(stream, [anEvent('Noted', { i: 1 }), anEvent('Noted', { i: 2 })]);
      }
      expect(await verifier.verify({ municipality: 'lelystad' })).toMatchObject({
        intact: true, scope: { municipality: 'lelystad', streamId: null }, streams: 4, events: 8, firstBroken: null,
      });

      // A campaign's and an audience's chains are checked as a handover's are, and the break is reported
      // to that municipality only.
      for (const stream of [`campaign.${other}.c-${suffix}`, `audience.${own}`]) {
        const [, second] = await store.readStream(stream);
        await behindTheTriggersBack(`UPDATE events SET data = '{"i": 7}' WHERE global_position = $1`, [second.globalPosition]);
      }
      expect(await verifier.verify({ municipality: 'dronten' })).toMatchObject({
        intact: false, scope: { municipality: 'dronten' }, firstBroken: { streamId: `campaign.${other}.c-${suffix}`, streamVersion: 2 },
      });
      expect(await verifier.verify({ municipality: 'lelystad' })).toMatchObject({
        intact: false, firstBroken: { streamId: `audience.${own}`, streamVersion: 2, reason: expect.stringContaining('changed') },
      });
    });

    it('notices a forged event whose own hash was recomputed, at the next link of the chain', async () => {
      const id = await someStream(3);
      const [first, second] = await store.readStream(id);
      const forged = { ...first, data: { i: 42 } };
      await behindTheTriggersBack(`UPDATE events SET data = $2, hash = $3 WHERE global_position = $1`, [
        first.globalPosition,
        JSON.stringify(forged.data),
        eventHash(forged),
      ]);
      expect((await verifier.verify(id)).firstBroken).toMatchObject({
        globalPosition: second.globalPosition,
        reason: expect.stringContaining('previous hash'),
      });
    });
  });

  describe('projections', () => {
    const snapshot = async () => ({
      summaries: await db.app.query('SELECT * FROM transition_summaries ORDER BY transition_id'),
      tasks: await db.app.query('SELECT * FROM transition_tasks ORDER BY transition_id, task_id'),
      details: await db.app.query('SELECT * FROM transition_details ORDER BY transition_id'),
    });
    const projections = [new TransitionSummaryProjection(), new TaskProjection(), new TransitionDetailProjection()];

    it('rebuild into exactly the rows the inline projections wrote', async () => {
      for (const district of ['feijenoord', 'charlois', 'ijsselmonde', 'hillegersberg-schiebroek']) {
        const planned = plannedFor(district);
        const id = planned.transitionId;
        await store.append(id, [anEvent('TransitionPlanned', { ...planned })]);
        if (district === 'charlois') continue;
        await store.append(id, [
          anEvent('TaskCompleted', { taskId: 'kick-off', note: null }),
          anEvent('TransitionStateChanged', { from: 'planned', to: 'preparing' }),
        ]);
        if (district === 'ijsselmonde') {
          await store.append(id, [anEvent('TaskReopened', { taskId: 'kick-off', reason: 'again' })]);
          await store.append(id, [
            anEvent('GoLiveMoved', { from: planned.goLiveDate, to: '2099-01-01', reason: 'later', dueDates: { 'kick-off': '2098-09-03' } }),
          ]);
        }
      }
      const inline = await snapshot();
      expect(inline.summaries).toHaveLength(4);
      expect(inline.summaries.filter((row: { state: string }) => row.state === 'preparing')).toHaveLength(3);
      expect(inline.tasks.filter((row: { status: string }) => row.status === 'done')).toHaveLength(2);
      const ijsselmonde = inline.details.find((row: { transition_id: string }) => row.transition_id.startsWith('rotterdam.ijsselmonde.'));
      expect(ijsselmonde).toMatchObject({ stream_version: 5, status: { state: 'preparing', plan: { goLiveDate: '2099-01-01' }, streamVersion: 5 } });
      expect(ijsselmonde.status.tasks.find((task: { id: string }) => task.id === 'kick-off')).toMatchObject({ status: 'open', dueDate: '2098-09-03' });

      const projector = new Projector(db.app, store);
      for (const projection of projections) expect(await projector.rebuild(projection)).toBeGreaterThanOrEqual(4);
      expect(await snapshot()).toEqual(inline);
    });

    it('catch up from their checkpoint without applying anything twice', async () => {
      const projector = new Projector(db.app, store);
      const before = await snapshot();
      for (const projection of projections) expect(await projector.catchUp(projection)).toBe(0);
      const planned = plannedFor('delfshaven');
      await store.append(planned.transitionId, [anEvent('TransitionPlanned', { ...planned })]);
      // Catch-up reads an event once every transaction that began before it has ended (anywhere
      // on the server: other test files run beside this one), so it may take a few rounds.
      for (const projection of projections) {
        let applied = 0;
        await eventually(async () => {
          applied += await projector.catchUp(projection);
          expect(applied).toBe(1);
        });
      }
      expect((await snapshot()).summaries).toHaveLength(before.summaries.length + 1);
    });
  });
});
