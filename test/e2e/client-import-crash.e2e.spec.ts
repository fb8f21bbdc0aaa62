import { setTimeout as delay } from 'node:timers/promises';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { transferIdOf } from '../../src/clients/client.events';
import { clientImportWorkflowId } from '../../workflows/client-import/workflow';
import { clientList } from '../support/client-lists';
import { eventually } from '../support/eventually';
import { goLiveInDays } from '../support/plans';
import type { ServiceProcess } from '../support/service-process';
import { Answer, ServiceStack } from '../support/service-stack';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * A crash in the middle of a client import, then the same import sent again: every client is
 * listed once, none lost, none twice. The service runs as production runs it: the API without a
 * worker (RUN_WORKER=false) and a separate worker process, real child processes (TypeScript
 * through ts-node, workflows bundled from source), on a real Temporal dev server and a database
 * of this file's own (the workers reach it through a TcpProxy). A crash is `kill -9`: no
 * shutdown hook runs, in-flight activities and requests vanish. Where in its work a process dies
 * is chance; one scenario makes sure of the worst moment for the store: the worker's appends
 * have committed but their answers have not reached it (held in the proxy), as any crash right
 * after a commit leaves them.
 *
 * Each scenario imports 1,500 clients into a handover of its own and checks afterwards:
 * - the import's progress: 1,500 clients, 1,500 new, 1,500 listed, finished;
 * - client_transfers holds 1,500 rows of the handover, client_numbers 1,500 distinct pseudonyms,
 *   the vault a key and a record each, the import 1,500 items; one client_imports row;
 * - every transfer stream holds exactly one ClientListed, its versions run 1..n, nothing stored twice;
 * - Temporal has one transfer workflow id per client (`temporal workflow list` / `count`), each
 *   with exactly one running run, and the import workflow completed (no failed run);
 * - the handover's stream holds one ClientImportStarted and one ClientImportFinished of the import;
 * - the audit trail verifies (`GET /audit/verify`, and every stream, the transfers' included).
 */

const CLIENTS = 1_500;
/** Listing 1,500 clients on a busy 2-core machine, with a worker starting again (it bundles the workflows first). */
const IMPORT_WITHIN_MS = 8 * 60_000;
/** The worker dies once this many are listed: a few pages done, others half-way, most not begun. */
const LISTED_AT_KILL = 150;
/** How long no worker runs after the kill when appends were left committed but unanswered: longer than their deadline (5 s). */
const WORKER_DOWN_MS = 10_000;
/** An import that lists no further client for this long (its worker up) is stuck, not slow. */
const STALLED_MS = 4 * 60_000;

/** Statuses counted: `1 × RUNNING, 14 × FAILED`. */
function tally(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} × ${status.replace('WORKFLOW_EXECUTION_STATUS_', '')}`).join(', ');
}

interface Progress {
  importId: string;
  state: 'running' | 'finished';
  clients: number;
  newClients: number;
  listed: number;
}

describe('a crash during a client import, then the same import again: every client once (API and worker as processes)', () => {
  let stack: ServiceStack;
  let api: ServiceProcess;
  let worker: ServiceProcess;
  let workersStarted = 0;
  let passed = 0;

  /** PostgreSQL as the workers reach it: through a proxy that can hold its answers. */
  let workerPostgres: TcpProxy;

  const startWorker = async () => {
    workersStarted += 1;
    const url = new URL(stack.db.url);
    url.hostname = '127.0.0.1';
    url.port = String(workerPostgres.port);
    worker = await stack.startWorker(`worker-${workersStarted}`, { DATABASE_URL: url.toString() });
    return worker;
  };

  beforeAll(async () => {
    stack = await ServiceStack.start('import-crash');
    const server = new URL(stack.db.url);
    workerPostgres = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    [api] = await Promise.all([stack.startApi('api-1', { RUN_WORKER: 'false' }), startWorker()]);
  }, 300_000);

  afterAll(async () => {
    if (passed < 3 && stack) process.stderr.write(`\n[client-import-crash] service logs:\n${stack.logTails()}\n`);
    const left = (await stack?.stop()) ?? [];
    await workerPostgres?.stop();
    expect(left).toEqual([]); // every process this file started has ended
  }, 120_000);

  // ---- over HTTP --------------------------------------------------------------------------------

  async function createHandover(district: string, goLiveDate: string): Promise<string> {
    const answer = await stack.request('coordinator', 'POST', '/transitions', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate }),
    });
    if (answer.status !== 201) throw new Error(`POST /transitions (${district}): ${answer.status} ${answer.text || answer.error}`);
    return `rotterdam.${district}.${goLiveDate}`;
  }

  const postImport = (transitionId: string, file: Buffer, timeoutMs = 60_000): Promise<Answer> =>
    stack.request('outgoing', 'POST', `/transitions/${transitionId}/clients/import`, { headers: { 'content-type': 'text/csv' }, body: file, timeoutMs });

  async function progress(transitionId: string, importId: string): Promise<Progress> {
    const answer = await stack.request('outgoing', 'GET', `/transitions/${transitionId}/clients/imports/${importId}`);
    if (answer.status !== 200) throw new Error(`GET progress: ${answer.status} ${answer.text || answer.error}`);
    return answer.body as Progress;
  }

  /** The import's state in the database: what a second POST of the same file must leave as it is. */
  async function storedImport(transitionId: string) {
    const [row] = await stack.db.admin.query(
      `SELECT (SELECT count(*)::int FROM client_imports WHERE transition_id = $1) AS imports,
              (SELECT count(*)::int FROM client_import_items i JOIN client_imports c USING (import_id) WHERE c.transition_id = $1) AS items,
              (SELECT count(*)::int FROM client_numbers WHERE transition_id = $1) AS numbers,
              (SELECT count(*)::int FROM client_keys WHERE transition_id = $1) AS keys,
              (SELECT count(*)::int FROM client_records WHERE transition_id = $1) AS records,
              (SELECT string_agg(import_id::text || ':' || clients || ':' || new_clients, ',') FROM client_imports WHERE transition_id = $1) AS rows`,
      [transitionId],
    );
    return row as Record<string, unknown>;
  }

  /** Waits until the import has listed LISTED_AT_KILL or more but not all of its clients; fails when it finished first. */
  async function partlyListed(transitionId: string, importId: string): Promise<Progress> {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const seen = await progress(transitionId, importId);
      if (seen.listed >= seen.newClients) throw new Error(`the import listed all ${seen.newClients} clients before the crash could come`);
      if (seen.listed >= LISTED_AT_KILL) return seen;
      if (Date.now() > deadline) throw new Error(`nothing listed after 240 s: ${JSON.stringify(seen)}`);
      await delay(50);
    }
  }

  /** The import's client_imports row, as soon as it is committed (polled closely: the API is to die right then). */
  async function storedImportId(transitionId: string): Promise<string> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [row] = await stack.db.admin.query('SELECT import_id FROM client_imports WHERE transition_id = $1', [transitionId]);
      if (row) return row.import_id as string;
      if (Date.now() > deadline) throw new Error('the import was not stored within 120 s');
      await delay(1);
    }
  }

  /** ClientListed events stored for the handover's transfers. */
  async function listedEvents(transitionId: string): Promise<number> {
    const [{ n }] = await stack.db.admin.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ClientListed' AND starts_with(stream_id, $1)`,
      [transferIdOf(transitionId, '')],
    );
    return n;
  }

  /** The same file again: 202 with the same import id, and nothing stored changes. */
  async function sendAgain(transitionId: string, file: Buffer, importId: string, problems: string[]): Promise<void> {
    const before = await storedImport(transitionId);
    const again = await postImport(transitionId, file);
    if (again.status !== 202 || again.body?.importId !== importId) {
      problems.push(`the same file again: ${again.status} ${again.text.slice(0, 300) || again.error}, expected 202 with importId ${importId}`);
    }
    const after = await storedImport(transitionId);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      problems.push(`the same file again changed what is stored: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    }
  }

  /**
   * Waits until the import has finished; gives up when it listed no further client for STALLED_MS
   * (or after IMPORT_WITHIN_MS), reporting what its workflow waits for.
   */
  async function finished(transitionId: string, importId: string, problems: string[]): Promise<Progress> {
    const deadline = Date.now() + IMPORT_WITHIN_MS;
    let last = await progress(transitionId, importId);
    let changedAt = Date.now();
    while (last.state !== 'finished') {
      if (Date.now() > deadline || Date.now() - changedAt > STALLED_MS) {
        const described = (await stack.cli.describe(clientImportWorkflowId(transitionId, importId))) as {
          pendingActivities?: Array<{ activityType?: { name?: string }; attempt?: number; lastFailure?: { message?: string; cause?: { message?: string } } }>;
        };
        const pending = (described.pendingActivities ?? []).map(
          (a) => `${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message ?? '-'}${a.lastFailure?.cause?.message ? ` (${a.lastFailure.cause.message})` : ''}`,
        );
        problems.push(
          `the import did not finish: ${JSON.stringify(last)}, no client listed for ${Math.round((Date.now() - changedAt) / 1000)} s; ` +
            `its workflow's pending activities: ${pending.join('; ') || 'none'}`,
        );
        return last;
      }
      await delay(500);
      const now = await progress(transitionId, importId);
      if (now.listed !== last.listed || now.state !== last.state) changedAt = Date.now();
      last = now;
    }
    return last;
  }

  // ---- what every scenario checks ------------------------------------------------------------------

  async function checkEveryClientOnce(transitionId: string, importId: string, problems: string[]): Promise<Record<string, unknown>> {
    const { admin } = stack.db;
    // What follows the import's end (the handover told, the workflow completed, visibility) is waited for only when it ended.
    const settling = (await progress(transitionId, importId)).state === 'finished' ? 120_000 : 0;
    const expectCount = (what: string, actual: number, expected = CLIENTS) => {
      if (actual !== expected) problems.push(`${what}: ${actual}, expected ${expected}`);
    };

    const final = await progress(transitionId, importId);
    if (final.clients !== CLIENTS || final.newClients !== CLIENTS || final.listed !== CLIENTS || final.state !== 'finished') {
      problems.push(`progress: ${JSON.stringify(final)}, expected ${CLIENTS} clients, new and listed, finished`);
    }

    // The read model and the vault.
    const [transfers] = await admin.query(
      `SELECT count(*)::int AS n, count(DISTINCT pseudonym)::int AS distinct, count(*) FILTER (WHERE import_id <> $2)::int AS other_import
       FROM client_transfers WHERE transition_id = $1`,
      [transitionId, importId],
    );
    expectCount('client_transfers rows of the handover', transfers.n);
    expectCount('client_transfers rows of another import', transfers.other_import, 0);
    const [numbers] = await admin.query(
      'SELECT count(*)::int AS n, count(DISTINCT pseudonym)::int AS distinct FROM client_numbers WHERE transition_id = $1',
      [transitionId],
    );
    expectCount('client_numbers rows of the handover', numbers.n);
    expectCount('distinct pseudonyms in client_numbers', numbers.distinct);
    const [vault] = await admin.query(
      `SELECT (SELECT count(*)::int FROM client_keys WHERE transition_id = $1) AS keys,
              (SELECT count(*)::int FROM client_records WHERE transition_id = $1) AS records,
              (SELECT count(*)::int FROM client_imports WHERE transition_id = $1) AS imports,
              (SELECT count(DISTINCT pseudonym)::int FROM client_import_items WHERE import_id = $2) AS items`,
      [transitionId, importId],
    );
    expectCount('client_keys of the handover', vault.keys);
    expectCount('client_records of the handover', vault.records);
    expectCount('client_imports of the handover', vault.imports, 1);
    expectCount('distinct pseudonyms among the import items', vault.items);
    const [missing] = await admin.query(
      `SELECT count(*)::int AS no_transfer FROM client_numbers n
       WHERE n.transition_id = $1 AND NOT EXISTS (SELECT 1 FROM client_transfers t WHERE t.pseudonym = n.pseudonym)`,
      [transitionId],
    );
    expectCount('clients without a transfer row', missing.no_transfer, 0);

    // The events: one ClientListed per transfer stream, every stream's versions 1..n, nothing twice.
    const streamPrefix = `${transferIdOf(transitionId, '')}`;
    const listed: Array<{ stream_id: string; n: number }> = await admin.query(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'ClientListed' AND starts_with(stream_id, $1) GROUP BY 1`,
      [streamPrefix],
    );
    expectCount('transfer streams with a ClientListed', listed.length);
    for (const stream of listed.filter((s) => s.n !== 1)) problems.push(`${stream.stream_id}: ${stream.n} ClientListed events`);
    const [unknownStreams] = await admin.query(
      `SELECT count(*)::int AS n FROM (SELECT DISTINCT stream_id FROM events WHERE starts_with(stream_id, $1)) s
       WHERE NOT EXISTS (SELECT 1 FROM client_numbers c WHERE c.transition_id = $2 AND s.stream_id = $1 || c.pseudonym)`,
      [streamPrefix, transitionId],
    );
    expectCount('transfer streams of no client of the handover', unknownStreams.n, 0);
    const gaps: Array<{ stream_id: string; n: number; last: number }> = await admin.query(
      `SELECT stream_id, count(*)::int AS n, max(stream_version)::int AS last FROM events
       WHERE starts_with(stream_id, $1) OR stream_id = $2 GROUP BY 1 HAVING count(*) <> max(stream_version)`,
      [streamPrefix, transitionId],
    );
    for (const stream of gaps) problems.push(`${stream.stream_id}: ${stream.n} events up to version ${stream.last}`);
    const doubles: Array<{ stream_id: string; type: string; n: number }> = await admin.query(
      `SELECT stream_id, type, count(*)::int AS n FROM events WHERE starts_with(stream_id, $1) OR stream_id = $2
       GROUP BY stream_id, type, data HAVING count(*) > 1`,
      [streamPrefix, transitionId],
    );
    for (const row of doubles) problems.push(`${row.stream_id}: ${row.type} stored ${row.n} times with the same data`);

    // The handover heard of the import twice: at its start and at its end (told just after the
    // import is marked finished, by the same activity).
    const toldHandover = async (): Promise<Array<{ type: string; total: number | null; open: number | null }>> =>
      admin.query(
        `SELECT type, (data->>'total')::int AS total, (data->>'open')::int AS open FROM events
         WHERE stream_id = $1 AND type IN ('ClientImportStarted', 'ClientImportFinished') AND data->>'importId' = $2 ORDER BY stream_version`,
        [transitionId, importId],
      );
    const told = await eventually(async () => {
      const events = await toldHandover();
      if (!events.some((e) => e.type === 'ClientImportFinished')) throw new Error('the handover is not told yet');
      return events;
    }, settling).catch(toldHandover);
    if (JSON.stringify(told.map((e) => e.type)) !== JSON.stringify(['ClientImportStarted', 'ClientImportFinished'])) {
      problems.push(`the handover's stream has ${JSON.stringify(told.map((e) => e.type))} for the import, expected one ClientImportStarted, then one ClientImportFinished`);
    }
    const finishedEvent = told.find((e) => e.type === 'ClientImportFinished');
    if (finishedEvent && finishedEvent.total !== CLIENTS) problems.push(`ClientImportFinished counts ${finishedEvent.total} transfers, expected ${CLIENTS}`);

    // Temporal, as an operator sees it: one transfer workflow per client, each running once.
    const query = `WorkflowId STARTS_WITH '${streamPrefix}'`;
    const runs = await eventually(async () => {
      const listedRuns = await stack.cli.list(query);
      const running = listedRuns.filter((run) => run.status === 'WORKFLOW_EXECUTION_STATUS_RUNNING');
      if (running.length < CLIENTS) throw new Error(`visibility lists ${running.length} running transfers so far`);
      return listedRuns;
    }, settling).catch(() => stack.cli.list(query));
    const counted = await stack.cli.count(query);
    const runsById = new Map<string, string[]>();
    for (const run of runs) runsById.set(run.execution.workflowId, [...(runsById.get(run.execution.workflowId) ?? []), run.status]);
    expectCount('transfer workflow ids (temporal workflow list)', runsById.size);
    const pseudonyms = new Set<string>(
      (await admin.query('SELECT pseudonym FROM client_numbers WHERE transition_id = $1', [transitionId])).map((r: { pseudonym: string }) => r.pseudonym),
    );
    const strangers = [...runsById.keys()].filter((id) => !pseudonyms.has(id.slice(streamPrefix.length)));
    if (strangers.length > 0) problems.push(`${strangers.length} transfer workflows of no client, e.g. ${strangers[0]}`);
    const notOnce = [...runsById].filter(([, statuses]) => statuses.filter((s) => s === 'WORKFLOW_EXECUTION_STATUS_RUNNING').length !== 1);
    for (const [id, statuses] of notOnce.slice(0, 10)) problems.push(`${id}: runs ${tally(statuses)}, expected exactly one running`);
    if (notOnce.length > 10) problems.push(`… and ${notOnce.length - 10} more workflow ids without exactly one running run`);
    const otherRuns = runs.filter((run) => run.status !== 'WORKFLOW_EXECUTION_STATUS_RUNNING');
    // Which run recorded each client's listing (its event's metadata), and whether that run runs still.
    const statusOfRun = new Map(runs.map((run) => [run.execution.runId, run.status]));
    const listedBy: Array<{ stream_id: string; run_id: string }> = await admin.query(
      `SELECT stream_id, metadata->>'runId' AS run_id FROM events WHERE type = 'ClientListed' AND starts_with(stream_id, $1) ORDER BY global_position`,
      [streamPrefix],
    );
    const listedByEndedRun = listedBy.filter((event) => statusOfRun.get(event.run_id) !== 'WORKFLOW_EXECUTION_STATUS_RUNNING');
    for (const event of listedByEndedRun.slice(0, 10)) {
      problems.push(
        `${event.stream_id}: its ClientListed was recorded by run ${event.run_id}, which is ${statusOfRun.get(event.run_id) ?? 'not listed'}; ` +
          `the workflow id's runs: ${tally(runsById.get(event.stream_id) ?? []) || 'none'}`,
      );
    }
    if (listedByEndedRun.length > 10) problems.push(`… and ${listedByEndedRun.length - 10} more clients listed by a run that no longer runs`);

    const importQuery = `WorkflowId = '${clientImportWorkflowId(transitionId, importId)}'`;
    const importRuns = await eventually(async () => {
      const listedRuns = await stack.cli.list(importQuery);
      if (!listedRuns.some((run) => run.status === 'WORKFLOW_EXECUTION_STATUS_COMPLETED')) throw new Error('the import workflow has not completed');
      return listedRuns;
    }, settling).catch(() => stack.cli.list(importQuery));
    const importStatuses = importRuns.map((run) => run.status);
    if (!importStatuses.includes('WORKFLOW_EXECUTION_STATUS_COMPLETED') || importStatuses.some((s) => !['WORKFLOW_EXECUTION_STATUS_COMPLETED', 'WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW'].includes(s))) {
      problems.push(`the import workflow's runs: ${importStatuses.join(', ')}, expected completed (after continue-as-new, perhaps)`);
    }

    // The audit trail: as a coordinator verifies it, then every stream (the transfers' included).
    const verify = await stack.request('coordinator', 'GET', '/audit/verify');
    if (verify.status !== 200 || verify.body?.intact !== true) problems.push(`GET /audit/verify: ${verify.status} ${verify.text}`);
    const verifyHandover = await stack.request('coordinator', 'GET', `/audit/verify?streamId=${encodeURIComponent(transitionId)}`);
    if (verifyHandover.status !== 200 || verifyHandover.body?.intact !== true) {
      problems.push(`GET /audit/verify?streamId=${transitionId}: ${verifyHandover.status} ${verifyHandover.text}`);
    }
    const everyStream = await new AuditVerifier(stack.db.admin).verify();
    if (!everyStream.intact) problems.push(`the chains of every stream: ${JSON.stringify(everyStream)}`);
    // Every stream here is Rotterdam's: its coordinator's verification covers them all, the transfers' included.
    if (verify.body?.streams !== everyStream.streams) {
      problems.push(`GET /audit/verify covers ${verify.body?.streams} streams of the ${everyStream.streams} of Rotterdam's handovers and their transfers`);
    }

    return {
      transferRows: transfers.n,
      distinctPseudonyms: numbers.distinct,
      transferStreamsListed: listed.length,
      transferWorkflowIds: runsById.size,
      transferRunsListed: runs.length,
      transferRunsCounted: counted,
      transferRunsNotRunning: tally(otherRuns.map((run) => run.status)) || 'none',
      clientsListedByAnEndedRun: listedByEndedRun.length,
      importRuns: tally(importStatuses),
      auditVerifyStreams: verify.body?.streams,
      everyStreamVerified: everyStream.streams,
    };
  }

  function finish(scenario: string, problems: string[], numbers: Record<string, unknown>): void {
    process.stdout.write(`\n[client-import-crash] ${scenario}: ${JSON.stringify(numbers)}\n`);
    expect(problems).toEqual([]);
    passed += 1;
  }

  // ---- the scenarios --------------------------------------------------------------------------------

  /**
   * Imports 1,500 clients into a handover of `district`, kills the worker with kill -9 once
   * LISTED_AT_KILL are listed (with `heldAnswers`: after it has gone on for a moment with the
   * answers of its database held, so that appends it committed were never answered to it), sends
   * the same file again while no worker runs, starts a new worker and checks every client once.
   */
  async function killTheWorkerMidImport(scenario: string, district: string, goLiveDate: string, { heldAnswers }: { heldAnswers: boolean }) {
    const problems: string[] = [];
    if (!worker.running) await startWorker();
    const transitionId = await createHandover(district, goLiveDate);
    const file = clientList(CLIENTS, { first: heldAnswers ? 10_001 : 1 });

    const accepted = await postImport(transitionId, file);
    expect({ status: accepted.status, text: accepted.text.slice(0, 300) }).toMatchObject({ status: 202 });
    const { importId } = accepted.body as Progress;
    expect(accepted.body).toMatchObject({ clients: CLIENTS, newClients: CLIENTS });

    const atKill = await partlyListed(transitionId, importId);
    const victim = worker;
    let committedUnanswered = 0;
    if (heldAnswers) {
      // Appends go on reaching PostgreSQL and committing; the worker hears of none of those commits.
      const before = await listedEvents(transitionId);
      workerPostgres.holdAnswersAfter('COMMIT');
      committedUnanswered = await eventually(async () => {
        const committed = (await listedEvents(transitionId)) - before;
        if (committed < 10) throw new Error(`${committed} listings committed since the answers were held`);
        return committed;
      }, 60_000).catch(async () => (await listedEvents(transitionId)) - before);
    }
    victim.kill9();
    await victim.exited;
    workerPostgres.releaseAnswers();
    const killedAt = Date.now();
    const listedRightAfterKill = (await progress(transitionId, importId)).listed;

    // No worker runs now: the same file again is answered by the API alone, and changes nothing.
    // With `heldAnswers`, the new worker comes up only after WORKER_DOWN_MS (a supervisor's
    // restart delay), past the deadline of every append that was in flight.
    if (heldAnswers) await delay(WORKER_DOWN_MS);
    const replacement = startWorker();
    await sendAgain(transitionId, file, importId, problems);
    await replacement;
    const replacementUpMs = Date.now() - killedAt;
    const done = await finished(transitionId, importId, problems);
    const numbers = await checkEveryClientOnce(transitionId, importId, problems);
    finish(scenario, problems, {
      listedAtKill: atKill.listed,
      ...(heldAnswers ? { listingsCommittedButUnansweredAtKill: committedUnanswered } : {}),
      listedRightAfterKill,
      replacementUpMs,
      msFromKillToEnd: Date.now() - killedAt,
      finalProgress: { listed: done.listed, newClients: done.newClients, state: done.state },
      victimExit: victim.exit,
      ...numbers,
    });
  }

  it('the worker killed with kill -9 half-way through an import of 1,500, the same file sent again: every client listed once', async () => {
    await killTheWorkerMidImport('worker killed', 'feijenoord', goLiveInDays(150), { heldAnswers: false });
  }, 900_000);

  it('the worker killed with kill -9 while listings it committed are not yet answered to it, the same file sent again: every client listed once', async () => {
    await killTheWorkerMidImport('worker killed, committed listings unanswered', 'ijsselmonde', goLiveInDays(152), { heldAnswers: true });
  }, 900_000);

  it('the API killed with kill -9 while the import request is in flight (the import stored), the same file sent again: every client listed once', async () => {
    const problems: string[] = [];
    if (!worker.running) await startWorker();
    const transitionId = await createHandover('charlois', goLiveInDays(151));
    const file = clientList(CLIENTS, { first: 5_001 });

    // The API dies as soon as the import is stored: before or just after it starts the import's
    // workflow, before or just after it answers.
    const inFlight = postImport(transitionId, file, 120_000);
    const stored = await storedImportId(transitionId);
    api.kill9();
    const firstAnswer = await inFlight;
    await api.exited;
    const workflowAtKill = (await stack.cli.list(`WorkflowId = '${clientImportWorkflowId(transitionId, stored)}'`)).length > 0;

    api = await stack.startApi('api-2', { RUN_WORKER: 'false' });
    await sendAgain(transitionId, file, stored, problems);
    const done = await finished(transitionId, stored, problems);
    const numbers = await checkEveryClientOnce(transitionId, stored, problems);
    finish('API killed', problems, {
      firstAnswer: firstAnswer.status === 0 ? `none (${firstAnswer.error})` : firstAnswer.status,
      importWorkflowStartedBeforeKill: workflowAtKill,
      finalProgress: { listed: done.listed, newClients: done.newClients, state: done.state },
      ...numbers,
    });
  }, 900_000);
});
