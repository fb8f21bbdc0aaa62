import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { amsterdamToday, startOfAmsterdamDay } from '../time/amsterdam';
import { addDays, addYears, BusinessCalendar } from '../time/calendar';
import { dutchPublicHolidays } from '../time/dutch-holidays';
import type { TransferStep } from './client.events';

/** The steps that stall, after how many business days (the environment's policy), and whose move it is then. */
const STALLING: Array<{ step: TransferStep; days: string }> = [
  { step: 'informed', days: 'TRANSFER_CONSENT_ANSWER_BUSINESS_DAYS' },
  { step: 'consent-given', days: 'TRANSFER_FILE_AFTER_CONSENT_BUSINESS_DAYS' },
  { step: 'file-transferred', days: 'TRANSFER_INTAKE_AFTER_FILE_BUSINESS_DAYS' },
];

/** Per stalling step: a transfer in it stalled when it reached the step before this instant. */
export type StallCutoffs = ReadonlyArray<{ readonly step: TransferStep; readonly before: string }>;

/**
 * The latest day a step may have been reached on and count as stalled today: the step's policy
 * of business days, counted from the day after it, has come to an end on or before today.
 */
export function latestStalledDay(today: string, businessDays: number, calendar: BusinessCalendar): string {
  let day = today;
  while (calendar.addBusinessDays(day, businessDays) > today) day = addDays(day, -1);
  return day;
}

/**
 * "Stalled", as lists filter and show it: the transfer is in a step that waits for a provider
 * (informed, consent given, file transferred) and that step's policy of business days has passed,
 * the day the workflow reminds the provider whose move it is (an erased client's is not reminded
 * of, nor stalled). Counted as the workflow counts
 * (Dutch business days, public holidays included) but by day: a step turns stalled at the start of
 * the reminder's day, not at its 09:00. Computed in SQL as `step_since < cutoff` per step.
 */
@Injectable()
export class StallPolicy {
  /** The cutoffs of the last day asked for: the same all day, and counting business days back for every read cost more than the read. */
  private latest?: { today: string; cutoffs: StallCutoffs };

  constructor(private readonly config: ConfigService) {}

  cutoffs(today = amsterdamToday()): StallCutoffs {
    if (this.latest?.today !== today) this.latest = { today, cutoffs: this.compute(today) };
    return this.latest.cutoffs;
  }

  private compute(today: string): StallCutoffs {
    const calendar = new BusinessCalendar(dutchPublicHolidays(addYears(today, -1), today));
    return STALLING.map(({ step, days }) => ({
      step,
      before: startOfAmsterdamDay(addDays(latestStalledDay(today, this.config.getOrThrow<number>(days), calendar), 1)),
    }));
  }
}

/**
 * A SQL condition over `client_transfers t` that holds for a stalled transfer; its parameters
 * are appended to `params` (numbered from there).
 */
export function stalledCondition(cutoffs: StallCutoffs, params: unknown[]): string {
  const parts = cutoffs.map(({ step, before }) => {
    params.push(step, before);
    return `(t.step = $${params.length - 1} AND t.step_since < $${params.length}::timestamptz)`;
  });
  return `(NOT t.erased AND (${parts.join(' OR ')}))`;
}
