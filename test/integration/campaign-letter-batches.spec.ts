import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { createCampaignActivities } from '../../src/campaigns/campaign.activities';
import type { CampaignMessageFields, LetterAddressee } from '../../src/campaigns/campaign-message';
import type { LetterAddressees } from '../../src/campaigns/letters/letter-addressees';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The campaign's print files from its ledger on a real PostgreSQL (the letters' addressees and the
 * PDF are doubles): numbered once, and a retried activity returns the batch it made, also one whose
 * every letter was skipped.
 */
describe('renderLetterBatch: print files from the ledger', () => {
  let db: TestDatabase;
  let activities: ReturnType<typeof createCampaignActivities>;
  /** Recipients whose personal data is erased: their letters are skipped. */
  const erased = new Set<string>();
  let renders = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const letterAddressees = {
      async resolve(letters: Array<{ recipientId: string; seq: number }>) {
        const skipped = letters.filter((l) => erased.has(l.recipientId)).map((l) => l.recipientId);
        const addressees: LetterAddressee[] = letters
          .filter((l) => !erased.has(l.recipientId))
          .map((l) => ({ recipientId: l.recipientId, addressLines: ['Aan de bewoners van', `Straat ${l.seq}`], postcode: '3071 AA', houseNumber: l.seq, addition: '', salutation: '' }));
        return { addressees, skipped };
      },
    } as unknown as LetterAddressees;
    activities = createCampaignActivities({
      dataSource: db.app,
      temporal: {} as never,
      campaigns: {
        emailSender: {} as never,
        letterAddressees,
        printer: {
          missingMergeFields: () => [],
          print: async (_fields, _version, batchNo, addressees) => ({
            pdf: Buffer.from(`pdf ${++renders} of ${addressees.length}`),
            manifest: `batch ${batchNo}: ${addressees.length}`,
          }),
        },
      },
    });
  });
  afterAll(async () => db?.drop());

  async function ledger(letters: number): Promise<{ campaignId: string; ids: string[] }> {
    const campaignId = randomUUID();
    const ids = Array.from({ length: letters }, () => `address:${randomUUID()}`);
    await db.app.query(
      `INSERT INTO campaign_recipients (campaign_id, recipient_id, channel, kind, seq, state)
       SELECT $1, id, 'letter', 'address', n, 'pending' FROM unnest($2::text[]) WITH ORDINALITY AS t(id, n)`,
      [campaignId, ids],
    );
    return { campaignId, ids };
  }
  const render = (campaignId: string, batchNo: number) =>
    new MockActivityEnvironment().run(activities.renderLetterBatch, {
      campaignId, transitionId: 'rotterdam.feijenoord.2027-06-01', batchNo, templateVersion: 1, fields: {} as CampaignMessageFields,
    });
  const states = async (campaignId: string) =>
    (await db.app.query(
      `SELECT state, batch_no AS "batchNo", count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY 1, 2 ORDER BY 2, 1`,
      [campaignId],
    )) as Array<{ state: string; batchNo: number; n: number }>;

  it('renders a print file with the skipped letters counted, and a retry returns the same file', async () => {
    const { campaignId, ids } = await ledger(3);
    erased.add(ids[1]);
    const first = await render(campaignId, 1);
    expect(first).toMatchObject({ batchNo: 1, letters: 2, skipped: 1 });
    expect(await render(campaignId, 1)).toEqual(first);
    expect(await states(campaignId)).toEqual([
      { state: 'batched', batchNo: 1, n: 2 },
      { state: 'skipped', batchNo: 1, n: 1 },
    ]);
  });

  it('returns a batch whose every letter was skipped as it was on a retry, without taking the next letters into it', async () => {
    // 1,001 letters, the first 1,000 erased: batch 1 has nothing to print, batch 2 the last letter.
    const { campaignId, ids } = await ledger(1_001);
    for (const id of ids.slice(0, 1_000)) erased.add(id);
    const first = await render(campaignId, 1);
    expect(first).toEqual({ batchNo: 1, letters: 0, skipped: 1_000, pdfSha256: '' });
    expect(await render(campaignId, 1)).toEqual(first);
    expect(await states(campaignId)).toEqual([
      { state: 'skipped', batchNo: 1, n: 1_000 },
      { state: 'pending', batchNo: null, n: 1 },
    ]);
    const second = await render(campaignId, 2);
    expect(second).toMatchObject({ batchNo: 2, letters: 1, skipped: 0 });
    expect(await render(campaignId, 2)).toEqual(second);
    const files = await db.app.query('SELECT batch_no AS "batchNo", letters FROM letter_batches WHERE campaign_id = $1', [campaignId]);
    expect(files).toEqual([{ batchNo: 2, letters: 1 }]);
  });
});
