import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { ServiceStack } from '../support/service-stack';

/**
 * The resident campaign's histories, recorded with the real activities: the service as
 * production runs it (ServiceStack: the API with its worker, a Temporal dev server, PostgreSQL,
 * an SMTP sink) takes a Feijenoord handover's campaign through the API from draft to completed:
 * edited, approved, 301 e-mail subscribers at 2 a page (enough pages for the workflow to continue
 * as new once its history passes 2,000 events) and 5 addresses (one letter batch), the batch
 * handed to print and posted. Written: every run of the campaign workflow, oldest first (the
 * first from draft, the last to completed), and the handover's own history up to its
 * "residents informed" milestone met by the campaign's report. Payloads are decrypted with the
 * stack's key before they are written, as the replay test has no key (they hold codes, counts
 * and fictional contact details of the providers, never a resident's address or e-mail).
 */
const SUBSCRIBERS = 301;
const PAGE_SIZE = 2;

export async function recordCampaignHistories(label: string, folder: string): Promise<void> {
  const stack = await ServiceStack.start('record-campaign');
  try {
    await stack.startApi('api', { CAMPAIGN_EMAIL_PAGE_SIZE: String(PAGE_SIZE), CAMPAIGN_SMTP_RATE_PER_SECOND: '200' });
    const call = async (who: 'coordinator', method: string, path: string, body?: unknown, type = 'application/json') => {
      const answer = await stack.request(who, method, path, {
        headers: body === undefined ? {} : { 'content-type': type },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
      return answer.body;
    };

    const goLiveDate = addDays(amsterdamDate(Date.now()), 200);
    const handover = await call('coordinator', 'POST', '/transitions', {
      municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate,
    });
    const transitionId: string = handover.transitionId;
    const base = `/transitions/${transitionId}`;
    const header = 'straat;huisnummer;toevoeging;postcode;woonplaats';
    const addresses = [1, 3, 5, 7, 9].map((n) => `Oranjeboomstraat;${n};;3071 AB;Rotterdam`);
    await call('coordinator', 'POST', `${base}/audiences/addresses`, `\ufeff${[header, ...addresses].join('\r\n')}\r\n`, 'text/csv');
    const subscribers = ['e-mail;naam', ...Array.from({ length: SUBSCRIBERS }, (_, n) => `bewoner${n + 1}@example.org;${n % 3 === 0 ? '' : 'Anna de Vries'}`)];
    await call('coordinator', 'POST', `${base}/audiences/subscribers`, `\ufeff${subscribers.join('\r\n')}\r\n`, 'text/csv');

    const contact = (name: string, domain: string) => ({ name, phone: '010 123 45 67', email: `info@${domain}`, website: `https://${domain}` });
    const draft = await call('coordinator', 'POST', `${base}/campaigns`, {
      fields: {
        municipality: { name: 'Gemeente Rotterdam', contact: contact('Gemeente Rotterdam', 'rotterdam.example') },
        outgoing: contact('Welzijn aan de Maas', 'welzijnaandemaas.example'),
        incoming: contact('Buurtkracht', 'buurtkracht.example'),
        whatChanges: ['U krijgt een nieuw aanspreekpunt.'],
        whatStays: ['De activiteiten in het buurthuis gaan door.'],
        whereToAsk: 'Bel of mail Buurtkracht.',
        signatures: {
          outgoing: { name: 'M. Jansen', role: 'directeur' },
          incoming: { name: 'S. El Amrani', role: 'directeur' },
          municipality: { name: 'P. de Boer', role: 'wethouder' },
        },
      },
    });
    const campaign = `${base}/campaigns/${draft.campaignId}`;
    const edited = await call('coordinator', 'PATCH', campaign, { deadline: addDays(goLiveDate, -20) });
    await call('coordinator', 'POST', `${campaign}/approve`, { expectedVersion: edited.version });

    const progress = async (until: (body: any) => boolean, what: string) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const deadline = Date.now() + 180_000;
      for (;;) {
        const body = await call('coordinator', 'GET', campaign);
        if (until(body)) return body;
        if (Date.now() > deadline) throw new Error(`${what}: not reached in 3 minutes (${JSON.stringify(body.recipients)})`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    await progress((body) => body.recipients.email.sent === SUBSCRIBERS && body.batches.length === 1, 'e-mails sent and letters rendered');
    // The print file is in the progress as soon as it is rendered; the workflow hears of it when the page's activity ends.
    for (let tries = 0; ; tries++) {
      const answer = await stack.request('coordinator', 'POST', `${campaign}/batches/1/handed-to-print`);
      if (answer.status === 200) break;
      if (answer.status !== 404 || tries > 100) throw new Error(`handed-to-print: ${answer.status} ${answer.text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await call('coordinator', 'POST', `${campaign}/batches/1/posted`);
    await progress((body) => body.state === 'completed', 'campaign completed');
    const deadline = Date.now() + 60_000;
    for (;;) {
      const detail = await call('coordinator', 'GET', base);
      if (detail.milestones.find((milestone: { id: string }) => milestone.id === 'residents-informed')?.met) break;
      if (Date.now() > deadline) throw new Error('the residents-informed milestone was not met in a minute');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const codec = new EncryptionCodec(Buffer.from(stack.payloadKey, 'base64'));
    const client = stack.temporal.client;
    const workflowId = campaignIdOf(transitionId, draft.campaignId);
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run);
    runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    if (runs.length < 2) throw new Error(`the campaign ran in ${runs.length} run(s): no continue-as-new to record`);
    const written: Array<[string, temporal.api.history.v1.IHistory]> = [];
    for (const [index, run] of runs.entries()) {
      written.push([`campaign-run-${index + 1}-of-${runs.length}`, await client.workflow.getHandle(workflowId, run.runId).fetchHistory()]);
    }
    written.push(['provider-change-with-campaign', await client.workflow.getHandle(transitionId).fetchHistory()]);
    for (const [name, history] of written) {
      await decryptPayloads(history, codec);
      const file = join(folder, `${label}-${name}.binpb`);
      writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
      console.log(`wrote ${file} (${history.events?.length} events)`);
    }
  } catch (error) {
    console.error(stack.logTails());
    throw error;
  } finally {
    await stack.stop();
  }
}

/** Replaces every encrypted payload in the history, wherever it is, by its plain one. */
async function decryptPayloads(node: unknown, codec: EncryptionCodec): Promise<void> {
  if (node === null || typeof node !== 'object') return;
  if (ArrayBuffer.isView(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (isEncrypted(value)) {
      (node as Record<string, unknown>)[key] = (await codec.decode([value]))[0];
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (isEncrypted(value[i])) value[i] = (await codec.decode([value[i]]))[0];
        else await decryptPayloads(value[i], codec);
      }
    } else {
      await decryptPayloads(value, codec);
    }
  }
}

function isEncrypted(value: unknown): value is Payload {
  const encoding = (value as Payload | null)?.metadata?.encoding;
  return encoding instanceof Uint8Array && Buffer.from(encoding).toString() === 'binary/encrypted';
}
