import { randomUUID } from 'node:crypto';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { CampaignProjection } from '../../src/campaigns/campaign.projection';
import { createTestDatabase, TestDatabase } from '../support/database';
import { anEvent, eventStoreFor } from '../support/event-store';
import { sampleCampaignFields } from '../support/campaign-fields';

/** The campaigns read model on the real event store: the state a resume leads to, and letters posted in the ledger. */
describe('the campaign projection', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db?.drop());

  const transitionId = 'rotterdam.feijenoord.2027-06-01';
  const store = () => eventStoreFor(db.app, [new CampaignProjection()]);
  const drafted = (campaignId: string) =>
    anEvent('CampaignDrafted', {
      campaignId,
      transitionId,
      municipality: 'rotterdam',
      district: 'feijenoord',
      templateVersion: 1,
      fields: { ...sampleCampaignFields(), district: 'Feijenoord', goLiveDate: '2027-06-01' },
      deadline: '2027-05-18',
    });
  const stateOf = async (campaignId: string) => (await db.admin.query('SELECT state FROM campaigns WHERE campaign_id = $1', [campaignId]))[0].state;

  it('is approved again, not sending, when resumed after a pause that came before the recipients were frozen', async () => {
    const campaignId = randomUUID();
    const stream = campaignIdOf(transitionId, campaignId);
    await store().append(stream, [drafted(campaignId), anEvent('CampaignApproved', { templateVersion: 1, messageSha256: 'x' }), anEvent('CampaignPaused', { reason: 'Wacht' })]);
    expect(await stateOf(campaignId)).toBe('paused');
    await store().append(stream, [anEvent('CampaignResumed', {})]);
    expect(await stateOf(campaignId)).toBe('approved');
    await store().append(stream, [anEvent('RecipientsFrozen', { addressLetters: 1, clientLetters: 0, emails: 0 }), anEvent('CampaignPaused', { reason: 'Wacht' })]);
    await store().append(stream, [anEvent('CampaignResumed', {})]);
    expect(await stateOf(campaignId)).toBe('sending');
  });

  it("moves a print file's letters in the ledger to posted with it, leaving skipped ones skipped", async () => {
    const campaignId = randomUUID();
    const stream = campaignIdOf(transitionId, campaignId);
    await store().append(stream, [drafted(campaignId)]);
    await db.admin.query(
      `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state, batch_no)
       SELECT $1, 'address:' || gen_random_uuid(), 'letter', 'address', n, CASE WHEN n = 3 THEN 'skipped' ELSE 'batched' END, CASE WHEN n <= 3 THEN 1 ELSE 2 END
       FROM generate_series(1, 5) AS n`,
      [campaignId],
    );
    await db.admin.query(
      `INSERT INTO letter_batches (campaign_id, batch_no, letters, first_seq, last_seq, pdf, pdf_sha256, manifest) VALUES ($1, 1, 2, 1, 3, '\\x25'::bytea, 'x', ''), ($1, 2, 2, 4, 5, '\\x25'::bytea, 'y', '')`,
      [campaignId],
    );
    await store().append(stream, [anEvent('LetterBatchHandedToPrint', { batchNo: 1 }), anEvent('LetterBatchPosted', { batchNo: 1, letters: 2 })]);
    const rows: Array<{ seq: number; state: string }> = await db.admin.query('SELECT seq, state FROM campaign_recipients WHERE campaign_id = $1 ORDER BY seq', [campaignId]);
    expect(rows.map((row) => row.state)).toEqual(['posted', 'posted', 'skipped', 'batched', 'batched']);
    expect((await db.admin.query('SELECT letters_posted FROM campaigns WHERE campaign_id = $1', [campaignId]))[0].letters_posted).toBe(2);
  });
});
