import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { latestGoLiveDate } from '../../src/transitions/dto/transition-validators';
import { addDays } from '../../src/time/calendar';
import { eventually } from '../support/eventually';
import { ListeningApi, startApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

/**
 * Bad text and out-of-range dates are refused at the edge: 400 naming the field and the rule,
 * never repeating what was sent, with nothing written and no workflow started.
 */
describe('hostile input over HTTP (Nest app, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  const goLiveDate = goLiveInDays(180);
  const transitionId = `rotterdam.ijsselmonde.${goLiveDate}`;
  /** Created once in the set-up; every command below aims at it. */
  const existing = {
    municipality: 'rotterdam',
    district: 'ijsselmonde',
    outgoingProvider: 'welzijn-maas',
    incomingProvider: 'buurtkracht',
    goLiveDate,
  };
  /** A handover that is never created: each hostile create is this with one field spoiled. */
  const fresh = { ...existing, district: 'charlois', template: 'provider-change' };
  const freshId = `rotterdam.charlois.${goLiveDate}`;

  beforeAll(async () => {
    api = await startApi('hostile-input-e2e', [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['outgoing', 'provider', 'welzijn-maas'],
      ['auditor', 'auditor', 'rotterdam'],
    ]);
    await post('/transitions', existing).expect(201);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const as = (name: string) => ({ authorization: `Bearer ${api.users[name].token}` });
  const get = (path: string, who = 'coordinator') => request(api.app.getHttpServer()).get(path).set(as(who));
  const post = (path: string, payload: object, who = 'coordinator') =>
    request(api.app.getHttpServer()).post(path).set(as(who)).send(payload);

  /** Rows written so far: the audit trail and the read model behind GET /transitions. */
  const written = async () => {
    const [[events], [summaries]] = await Promise.all([
      api.db.app.query('SELECT count(*)::int AS n FROM events'),
      api.db.app.query('SELECT count(*)::int AS n FROM transition_summaries'),
    ]);
    return { events: events.n, summaries: summaries.n };
  };

  async function workflowExists(workflowId: string): Promise<boolean> {
    try {
      await api.env.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /**
   * Sends it, expects 400 with a message `<field> ... <rule>`, and that the answer repeats none of
   * `sent` (as sent or JSON-escaped) and nothing was written.
   */
  async function expectRefused(send: () => request.Test, field: string, rule: string, sent: string[]): Promise<string[]> {
    const before = await written();
    const response = await send();
    expect(response.status).toBe(400);
    const messages: string[] = response.body.message;
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${escape(field)} .*${escape(rule)}`))]));
    for (const text of sent) {
      expect(response.text).not.toContain(text);
      expect(response.text).not.toContain(JSON.stringify(text).slice(1, -1));
    }
    expect(await written()).toEqual(before);
    return messages;
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  const CONTROL = 'must not contain control characters';
  const SURROGATE = 'must be valid Unicode text (no unpaired surrogates)';
  /** What we send inside a field, and the rule the answer must name. */
  const BAD_TEXT: Array<[string, string, string]> = [
    ['NUL', '\u0000', CONTROL],
    ['SOH', '\u0001', CONTROL],
    ['BEL', '\u0007', CONTROL],
    ['backspace', '\b', CONTROL],
    ['vertical tab', '\u000b', CONTROL],
    ['form feed', '\f', CONTROL],
    ['a lone CR', '\r', CONTROL],
    ['ESC', '\u001b', CONTROL],
    ['US', '\u001f', CONTROL],
    ['DEL', '\u007f', CONTROL],
    ['NEL (C1)', '\u0085', CONTROL],
    ['CSI (C1)', '\u009b', CONTROL],
    ['a lone high surrogate', '\ud800', SURROGATE],
    ['a lone low surrogate', '\udc00', SURROGATE],
  ];
  /** Markers around the bad character; a refusal must not contain them. */
  const MARKERS = ['hostile', 'marker'];
  const spoiled = (char: string) => `hostile${char}marker`;
  const spoiledDate = (date: string, char: string) => `${date.slice(0, 4)}${char}${date.slice(4)}`;

  /** 10,000 characters: a lowercase code, so only the length rule is broken where a code is expected. */
  const LONG = `hostile${'x'.repeat(10_000 - 'hostile'.length - 'marker'.length)}marker`;
  const LONG_DATE = '2'.repeat(10_000);
  const longRule = (field: string, max: number) => `${field} must be shorter than or equal to ${max} characters`;

  const taskPath = `/transitions/${transitionId}/tasks/kick-off`;
  const milestonePath = `/transitions/${transitionId}/milestones/partners-introduced`;

  /** Every write route, its valid body, its string fields, and what a 10,000-character value breaks. */
  const ROUTES: Array<{ route: string; path: string; body: Record<string, string>; fields: Record<string, string> }> = [
    {
      route: 'POST /transitions',
      path: '/transitions',
      body: fresh,
      fields: {
        municipality: longRule('municipality', 60),
        district: longRule('district', 60),
        outgoingProvider: longRule('outgoingProvider', 60),
        incomingProvider: longRule('incomingProvider', 60),
        goLiveDate: 'goLiveDate must be a date as YYYY-MM-DD',
        template: 'template must be one of provider-change, continuation',
      },
    },
    { route: 'complete', path: `${taskPath}/complete`, body: { note: 'Held on site' }, fields: { note: longRule('note', 500) } },
    { route: 'reopen', path: `${taskPath}/reopen`, body: { reason: 'List incomplete' }, fields: { reason: longRule('reason', 500) } },
    { route: 'sign-off', path: `${milestonePath}/sign-off`, body: { note: 'Met in person' }, fields: { note: longRule('note', 500) } },
    {
      route: 'go-live',
      path: `/transitions/${transitionId}/go-live`,
      body: { expectedGoLiveDate: goLiveDate, goLiveDate: goLiveInDays(200), reason: 'Locations not ready' },
      fields: {
        expectedGoLiveDate: 'expectedGoLiveDate must be a date as YYYY-MM-DD',
        goLiveDate: 'goLiveDate must be a date as YYYY-MM-DD',
        reason: longRule('reason', 500),
      },
    },
    { route: 'go-decision', path: `/transitions/${transitionId}/go-decision`, body: { reason: 'Go anyway' }, fields: { reason: longRule('reason', 500) } },
    { route: 'cancel', path: `/transitions/${transitionId}/cancel`, body: { reason: 'Assignment withdrawn' }, fields: { reason: longRule('reason', 500) } },
  ];
  const isDateField = (field: string) => /GoLiveDate$|^goLiveDate$/.test(field);

  const BAD_TEXT_CASES = ROUTES.flatMap(({ route, path, body, fields }) =>
    Object.keys(fields).flatMap((field) =>
      BAD_TEXT.map(([name, char, rule]) => {
        const value = isDateField(field) ? spoiledDate(body[field], char) : spoiled(char);
        return { title: `${route} ${field} with ${name}`, route, path, payload: { ...body, [field]: value }, field, rule, value };
      }),
    ),
  );

  describe.each(ROUTES.map((route) => [route.route, route]))('%s', (_route, { route, path, body, fields }) => {
    it.each(BAD_TEXT_CASES.filter((c) => c.route === route).map((c) => [c.title, c]))(
      'refuses %s: 400 naming the field, nothing written',
      async (_title, { payload, field, rule, value }) => {
        const messages = await expectRefused(() => post(path, payload), field, rule, isDateField(field) ? [value] : [value, ...MARKERS]);
        expect(messages).toEqual([`${field} ${rule}`]);
        if (route === 'POST /transitions') expect(await workflowExists(freshId)).toBe(false);
      },
    );

    it.each(Object.entries(fields))('refuses 10,000 characters in %s, naming the rule', async (field, rule) => {
      const value = isDateField(field) ? LONG_DATE : LONG;
      await expectRefused(() => post(path, { ...body, [field]: value }), field, rule.slice(field.length + 1), [value.slice(0, 50), ...(isDateField(field) ? [] : MARKERS)]);
      if (route === 'POST /transitions') expect(await workflowExists(freshId)).toBe(false);
    });
  });

  describe('go-live dates out of range', () => {
    const beyond = () => addDays(latestGoLiveDate(), 1);
    const horizonRule = () => `goLiveDate must be at most 10 years after today (on or before ${latestGoLiveDate()}, Europe/Amsterdam)`;

    it.each([
      ['9999-12-22', () => '9999-12-22'],
      ['10 years and a day ahead', beyond],
    ])('refuses creating one with go-live %s, starting nothing', async (_case, date) => {
      const goLive = date();
      const messages = await expectRefused(() => post('/transitions', { ...fresh, goLiveDate: goLive }), 'goLiveDate', 'at most 10 years after today', []);
      expect(messages).toEqual([horizonRule()]);
      expect(await workflowExists(`rotterdam.charlois.${goLive}`)).toBe(false);
    });

    it.each([
      ['9999-12-22', () => '9999-12-22'],
      ['10 years and a day ahead', beyond],
    ])('refuses moving go-live to %s, recording nothing', async (_case, date) => {
      const move = { expectedGoLiveDate: goLiveDate, goLiveDate: date(), reason: 'Much later' };
      const messages = await expectRefused(() => post(`/transitions/${transitionId}/go-live`, move), 'goLiveDate', 'at most 10 years after today', []);
      expect(messages).toEqual([horizonRule()]);
    });

    it('refuses an expectedGoLiveDate that is no real date', async () => {
      const move = { expectedGoLiveDate: '2027-02-30', goLiveDate: goLiveInDays(200), reason: 'Locations not ready' };
      const messages = await expectRefused(() => post(`/transitions/${transitionId}/go-live`, move), 'expectedGoLiveDate', 'must be a real calendar date', []);
      expect(messages).toEqual(['expectedGoLiveDate must be a real calendar date']);
    });
  });

  describe('bad text elsewhere in a body', () => {
    it('names the path of a nested value', async () => {
      const messages = await expectRefused(
        () => post(`${taskPath}/complete`, { note: { lines: ['ok', 'hostile\u0000marker'] } }),
        'note.lines.1', CONTROL, MARKERS,
      );
      expect(messages).toEqual([`note.lines.1 ${CONTROL}`]);
    });

    it('refuses a property name with a control character, without repeating it', async () => {
      const messages = await expectRefused(() => post(`${taskPath}/complete`, { 'hostile\u0000marker': 'x' }), 'body', 'property names with control characters', MARKERS);
      expect(messages).toEqual(['body must not have property names with control characters or unpaired surrogates']);
    });

    it('names every bad field of one body', async () => {
      const messages = await expectRefused(
        () => post('/transitions', { ...fresh, district: 'hostile\u0000marker', outgoingProvider: 'hostile\u0085marker' }),
        'district', CONTROL, MARKERS,
      );
      expect(messages).toEqual([`district ${CONTROL}`, `outgoingProvider ${CONTROL}`]);
    });

    it('accepts tab, line feed and CR LF in a note', async () => {
      const before = await written();
      await post(`${taskPath}/complete`, { note: 'Agenda:\r\n\t1. kennismaking\n\t2. sleutels' }).expect(200);
      expect((await written()).events).toBeGreaterThan(before.events);
      const detail = await get(`/transitions/${transitionId}`).expect(200);
      expect(detail.body.tasks.find((t: { id: string }) => t.id === 'kick-off').note).toBe('Agenda:\r\n\t1. kennismaking\n\t2. sleutels');
    });
  });

  describe('query values', () => {
    it.each([
      ['GET /transitions?state=%00', '/transitions?state=%00', 'coordinator', 'state'],
      ['GET /transitions?state=open&state=%00', '/transitions?state=open&state=%00', 'coordinator', 'state.1'],
      ['GET /transitions?municipality=rotter%1Bdam', '/transitions?municipality=rotter%1Bdam', 'auditor', 'municipality'],
      ['GET /transitions?atRisk=%C2%85', '/transitions?atRisk=%C2%85', 'coordinator', 'atRisk'],
      ['GET /me/tasks?status=%00', '/me/tasks?status=%00', 'outgoing', 'status'],
      ['GET /audit/verify?streamId=%00', '/audit/verify?streamId=%00', 'coordinator', 'streamId'],
      ['GET /audit/verify?streamId=<id with DEL>', `/audit/verify?streamId=${transitionId}%7F`, 'coordinator', 'streamId'],
      ['the audit export ?format=csv%00', `/transitions/${transitionId}/audit?format=csv%00`, 'coordinator', 'format'],
      ['GET /transitions?cursor=%00', '/transitions?cursor=%00', 'coordinator', 'cursor'],
      ['GET /transitions?provider=%1B', '/transitions?provider=%1B', 'coordinator', 'provider'],
      ['GET /me/notifications?kind=%00', '/me/notifications?kind=%00', 'outgoing', 'kind'],
      ['the timeline ?cursor=%C2%85', `/transitions/${transitionId}/timeline?cursor=%C2%85`, 'coordinator', 'cursor'],
    ])('refuses %s with 400 naming the field', async (_case, path, who, field) => {
      const messages = await expectRefused(() => get(path, who), field, CONTROL, []);
      expect(messages).toEqual([`${field} ${CONTROL}`]);
    });

    it.each([
      ['municipality', `/transitions?municipality=${LONG}`, 'auditor', longRule('municipality', 60)],
      ['streamId', `/audit/verify?streamId=${LONG}`, 'coordinator', longRule('streamId', 200)],
      ['state', `/transitions?state=${LONG}`, 'coordinator', 'state must be one of'],
      ['status', `/me/tasks?status=${LONG}`, 'outgoing', 'status must be open or done'],
      ['cursor', `/transitions?cursor=${LONG}`, 'coordinator', 'cursor must be the nextCursor of an earlier page of this list, unchanged'],
      ['limit', `/me/notifications?limit=${LONG}`, 'outgoing', 'limit must be a whole number from 1 to 200'],
      ['sort', `/transitions?sort=${LONG}`, 'coordinator', 'sort must be one of time-to-act, go-live'],
    ])('refuses 10,000 characters in %s, naming the rule', async (field, path, who, rule) => {
      await expectRefused(() => get(path, who), field, rule.slice(field.length + 1), [LONG.slice(0, 50), ...MARKERS]);
    });
  });

  describe('path parameters', () => {
    const goLive = goLiveDate;
    it.each([
      ['a NUL in a transition id', () => get('/transitions/rotterdam.x%00.2027-06-01'), 'transitionId'],
      ['an ESC in a transition id', () => get(`/transitions/rotterdam.ijssel%1Bmonde.${goLive}`), 'transitionId'],
      ['a C1 control in the audit export id', () => get(`/transitions/rotterdam.ijsselmonde.${goLive}%C2%9B/audit`), 'transitionId'],
      ['a NUL in a task id', () => post(`/transitions/${transitionId}/tasks/kick%00off/complete`, {}), 'taskId'],
      ['a DEL in a task id', () => post(`/transitions/${transitionId}/tasks/kick-off%7F/reopen`, { reason: 'List incomplete' }), 'taskId'],
      ['an ESC in a milestone id', () => post(`/transitions/${transitionId}/milestones/partners%1B/sign-off`, {}), 'milestoneId'],
      ['a lone CR in a transition id to cancel', () => post(`/transitions/rotterdam.ijsselmonde.${goLive}%0D/cancel`, { reason: 'Assignment withdrawn' }), 'transitionId'],
      ['a NUL in a transition id to move go-live', () => post(`/transitions/rotterdam.%00.${goLive}/go-live`, { expectedGoLiveDate: goLive, goLiveDate: goLiveInDays(200), reason: 'Later' }), 'transitionId'],
      ['a NUL in a transition id at the gate', () => post(`/transitions/%00/go-decision`, { reason: 'Go anyway' }), 'transitionId'],
    ])('refuses %s with 400 naming the parameter', async (_case, send, field) => {
      const messages = await expectRefused(send, field, CONTROL, []);
      expect(messages).toEqual([`${field} ${CONTROL}`]);
    });

    it.each([
      ['transitionId', () => get(`/transitions/${LONG}`), longRule('transitionId', 132)],
      ['taskId', () => post(`/transitions/${transitionId}/tasks/${LONG}/complete`, {}), longRule('taskId', 60)],
      ['milestoneId', () => post(`/transitions/${transitionId}/milestones/${LONG}/sign-off`, {}), longRule('milestoneId', 60)],
    ])('refuses 10,000 characters in %s', async (field, send, rule) => {
      await expectRefused(send, field, rule.slice(field.length + 1), [LONG.slice(0, 50), ...MARKERS]);
    });
  });

  describe('afterwards', () => {
    it('accepts a go-live exactly 10 years ahead, and a move to it', async () => {
      const latest = latestGoLiveDate();
      const created = await post('/transitions', { ...fresh, district: 'delfshaven', goLiveDate: latest }).expect(201);
      expect(created.body.plan.goLiveDate).toBe(latest);
      const moved = await post(`/transitions/${transitionId}/go-live`, { expectedGoLiveDate: goLiveDate, goLiveDate: latest, reason: 'Much later' }).expect(200);
      expect(moved.body.plan.goLiveDate).toBe(latest);
    });

    it('has started no workflow but the two accepted handovers', async () => {
      await eventually(async () => {
        const ids: string[] = [];
        for await (const execution of api.env.client.workflow.list()) ids.push(execution.workflowId);
        expect(ids.sort()).toEqual([`rotterdam.delfshaven.${latestGoLiveDate()}`, transitionId].sort());
      });
      expect((await written()).summaries).toBe(2);
    });
  });
});
