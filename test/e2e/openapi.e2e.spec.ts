import type { OpenAPIObject } from '@nestjs/swagger';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-programmes';
import { exampleGoLiveDate } from '../../src/transitions/dto/transition-validators';
import { sampleCampaignFields } from '../support/campaign-fields';
import { clientList } from '../support/client-lists';
import { eventually } from '../support/eventually';
import { ListeningApi, startListeningApi } from '../support/listening-api';
import { documentProblems, operationsOf } from '../support/openapi-rules';
import { CONTINUATION, goLiveInDays, PROVIDER_CHANGE } from '../support/plans';
import { Bindings, runSchemathesis, schemathesisConfig } from '../support/schemathesis';

/** Test cases per operation and phase: the run takes a few minutes. */
const MAX_EXAMPLES = 20;
/** Every operation the service documents (and Schemathesis tests). */
const OPERATIONS = 56;
/** SCHEMATHESIS_KEEP=1 keeps the run's folder (document, configuration, output, HAR and NDJSON reports) and names it. */
const keep = Boolean(process.env.SCHEMATHESIS_KEEP);

/**
 * The document the running service serves, checked for its promises, and Schemathesis with every
 * check against the app on a database of its own (a real Temporal dev server behind it), with a
 * coordinator's token and the ids of handovers that exist.
 */
describe('the OpenAPI document against the running service (Schemathesis, real Temporal dev server, real PostgreSQL)', () => {
  let api: ListeningApi;
  let document: OpenAPIObject;
  const workDir = mkdtempSync(join(tmpdir(), 'overdracht-schemathesis-'));
  const rotterdam = DEMO_PROGRAMMES.find((programme) => programme.municipality === 'rotterdam')!;
  /**
   * Handovers that exist before the run, all going live on the document's example date: one in
   * every district of Rotterdam (the coordinator's; enough that some outlive the run's cancels)
   * and one in Enschede (another municipality's: 403).
   */
  const handovers = [
    ...rotterdam.districts.map(({ code, outgoing, incoming }) => ({
      municipality: 'rotterdam',
      district: code,
      outgoingProvider: outgoing,
      incomingProvider: incoming,
      template: outgoing === incoming ? 'continuation' : 'provider-change',
    })),
    { municipality: 'enschede', district: 'oost', outgoingProvider: 'stadsdeelwerk', incomingProvider: 'buurtwerk-oost', template: 'provider-change' },
  ].map((handover) => ({ ...handover, goLiveDate: exampleGoLiveDate }));
  const ids = handovers.map(({ municipality, district, goLiveDate }) => `${municipality}.${district}.${goLiveDate}`);
  /** Clients of Feijenoord's handover, imported before the run: their pseudonyms are bound to `{pseudonym}`. */
  let pseudonyms: string[] = [];
  /** A draft campaign of Feijenoord's handover, created before the run: bound to `{campaignId}`. */
  let campaignIds: string[] = [];

  beforeAll(async () => {
    api = await startListeningApi('openapi-e2e', [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['enschede', 'coordinator', 'enschede'],
      ['outgoing', 'provider', 'welzijn-maas'],
    ]);
    const as = (who: string) => ({ authorization: `Bearer ${api.users[who].token}` });
    await Promise.all(
      handovers.map((handover) => {
        const who = handover.municipality === 'rotterdam' ? 'coordinator' : 'enschede';
        return request(api.url).post('/transitions').set(as(who)).send(handover).expect(201);
      }),
    );
    const feijenoord = `rotterdam.feijenoord.${exampleGoLiveDate}`;
    const accepted = await request(api.url)
      .post(`/transitions/${feijenoord}/clients/import`).set(as('outgoing')).set('content-type', 'text/csv').send(clientList(5))
      .expect(202);
    await eventually(async () => {
      const progress = await request(api.url).get(`/transitions/${feijenoord}/clients/imports/${accepted.body.importId}`).set(as('outgoing')).expect(200);
      expect(progress.body).toMatchObject({ state: 'finished', listed: 5 });
    }, 60_000);
    const clients = await request(api.url).get(`/transitions/${feijenoord}/clients`).set(as('coordinator')).expect(200);
    pseudonyms = clients.body.items.map((item: { pseudonym: string }) => item.pseudonym);
    const campaign = await request(api.url).post(`/transitions/${feijenoord}/campaigns`).set(as('coordinator')).send({ fields: sampleCampaignFields() }).expect(201);
    campaignIds = [campaign.body.campaignId];
    document = (await request(api.url).get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await api?.stop();
    if (keep) console.log(`Schemathesis run kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  });

  it('keeps its promises: path parameters, the bearer scheme, optional x-correlation-id, a schema for every 2xx, the error answers', () => {
    expect(operationsOf(document)).toHaveLength(OPERATIONS);
    expect(documentProblems(document)).toEqual([]);
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  /** One run with every check, as `who`; its output is kept in the run's folder as output-<who>.txt. */
  async function passesSchemathesis(who: string): Promise<void> {
    const bindings: Bindings = {
      'path.transitionId': { values: ids, probability: 0.8 },
      'path.taskId': { values: [...new Set([PROVIDER_CHANGE, CONTINUATION].flatMap((t) => t.definition.tasks.map((task) => task.key)))], probability: 0.8 },
      'path.pseudonym': { values: pseudonyms, probability: 0.8 },
      'path.campaignId': { values: campaignIds, probability: 0.8 },
      'path.batchNo': { values: [1], probability: 0.5 },
      'path.milestoneId': {
        values: [...new Set([PROVIDER_CHANGE, CONTINUATION].flatMap((t) => t.definition.milestones.map((milestone) => milestone.key)))],
        probability: 0.8,
      },
      'query.streamId': { values: ids, probability: 0.5 },
      'query.municipality': { values: ['rotterdam', 'enschede'], probability: 0.5 },
      'body.municipality': { values: ['rotterdam'], probability: 0.9 },
      'body.district': { values: rotterdam.districts.map(({ code }) => code), probability: 0.9 },
      'body.outgoingProvider': { values: [...new Set(rotterdam.districts.map(({ outgoing }) => outgoing))], probability: 0.9 },
      'body.incomingProvider': { values: [...new Set(rotterdam.districts.map(({ incoming }) => incoming))], probability: 0.9 },
      'body.goLiveDate': { values: Array.from({ length: 12 }, (_, i) => goLiveInDays(30 + 97 * i)), probability: 0.9 },
      'body.expectedGoLiveDate': { values: [exampleGoLiveDate], probability: 0.7 },
    };
    // Failures accepted, each with a note (none today); a copy, so no run rewrites it.
    const baseline = join(workDir, 'baseline.json');
    copyFileSync(join(__dirname, 'schemathesis', 'baseline.json'), baseline);
    const seed = process.env.SCHEMATHESIS_SEED;
    const { exitCode, output } = await runSchemathesis({
      binary: process.env.SCHEMATHESIS ?? 'schemathesis',
      workDir,
      document,
      config: schemathesisConfig(join(__dirname, 'schemathesis', 'schemathesis.toml'), bindings),
      baseUrl: api.url,
      bearerToken: api.users[who].token,
      hooks: join(__dirname, 'schemathesis', 'hooks.py'),
      args: [
        '--checks', 'all',
        '--max-examples', String(MAX_EXAMPLES),
        // One worker: Python 3.11 can fail compiling in several threads at once (SystemError).
        '--workers', '1',
        '--baseline', baseline,
        ...(seed ? ['--seed', seed] : []),
        ...(keep ? ['--report', 'har,ndjson', '--report-dir', workDir] : []),
      ],
      timeoutMs: 540_000,
    });
    writeFileSync(join(workDir, `output-${who}.txt`), output);
    if (exitCode !== 0) throw new Error(`schemathesis exited with ${exitCode}:\n${output}`);
    expect(output).toMatch(new RegExp(`Tested: ${OPERATIONS}\\b`));
    expect(output).not.toMatch(/\bErrored: [1-9]/);
  }

  it('passes Schemathesis with every check, as a coordinator', () => passesSchemathesis('coordinator'), 600_000);

  // The client routes are the providers': their answers (personal data by role, files, bulk results) are checked as one.
  it("passes Schemathesis with every check, as Feijenoord's outgoing provider", () => passesSchemathesis('outgoing'), 600_000);
});
