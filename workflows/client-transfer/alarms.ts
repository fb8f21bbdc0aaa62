import type { TransferStep } from '../../src/clients/client.events';
import { addDays, amsterdamDate, BusinessCalendar } from '../../src/time/calendar';
import type { TransferPolicy, TransferStatus } from './definitions';

export type TransferAlarm =
  | { key: string; at: number; kind: 'stall-reminder'; step: TransferStep; organisation: 'outgoing' | 'incoming' }
  | { key: string; at: number; kind: 'retention' };

/** Which step stalls after how many business days, and whose move it is then. */
const STALLS: Array<{ step: TransferStep; days: keyof TransferPolicy; organisation: 'outgoing' | 'incoming' }> = [
  { step: 'informed', days: 'consentAnswerBusinessDays', organisation: 'outgoing' },
  { step: 'consent-given', days: 'fileAfterConsentBusinessDays', organisation: 'outgoing' },
  { step: 'file-transferred', days: 'intakeAfterFileBusinessDays', organisation: 'incoming' },
];

/**
 * What the transfer's state calls for: one reminder when a step stalls (at 09:00 on the Dutch
 * business day the policy names, counted from the day the step was reached), and erasure of the
 * personal data once the transfer has finished and its retention ran out (09:00 on the day
 * `retentionDays` after the later of go-live and the transfer's end).
 */
export function transferAlarms(status: TransferStatus, goLiveDate: string, policy: TransferPolicy, calendar: BusinessCalendar): TransferAlarm[] {
  const alarms: TransferAlarm[] = [];
  const stall = STALLS.find((s) => s.step === status.step);
  if (stall && !status.erased) {
    const since = amsterdamDate(status.stepSince);
    const day = calendar.addBusinessDays(since, policy[stall.days]);
    alarms.push({ key: `stall:${stall.step}:${since}`, at: BusinessCalendar.nineAm(day), kind: 'stall-reminder', step: stall.step, organisation: stall.organisation });
  }
  if (status.finishedAt !== null && !status.erased) {
    const finished = amsterdamDate(status.finishedAt);
    const day = addDays(finished > goLiveDate ? finished : goLiveDate, policy.retentionDays);
    alarms.push({ key: `retention:${day}`, at: BusinessCalendar.nineAm(day), kind: 'retention' });
  }
  return alarms.sort((a, b) => a.at - b.at);
}
