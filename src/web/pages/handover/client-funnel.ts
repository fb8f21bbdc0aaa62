import type { TargetGroup, TransferStep } from '../../../clients/client.events';
import { TARGET_GROUPS } from '../../../clients/client.events';
import type { ClientCountsResponse } from '../../../clients/reads/client-transfer.response';
import { TRANSFER_STEPS } from '../../../clients/reads/client-transfer.response';

export const STEP_LABELS: Record<TransferStep, string> = {
  listed: 'Op de lijst',
  informed: 'Geïnformeerd',
  'consent-given': 'Toestemming gegeven',
  'file-transferred': 'Dossier overgedragen',
  'intake-planned': 'Intake gepland',
  accepted: 'Overgenomen',
  declined: 'Geen toestemming',
  ended: 'Gestopt',
};

export const TARGET_GROUP_LABELS: Record<TargetGroup, string> = {
  jeugd: 'Jeugd',
  ouderen: 'Ouderen',
  'kwetsbare-bewoners': 'Kwetsbare bewoners',
  overig: 'Overig',
};

export interface FunnelRow {
  label: string;
  /** One count per step, in the order of `ClientFunnel.steps`. */
  counts: number[];
  total: number;
}

/** The client transfers as a table: a row per target group, a column per step, totals in the last row and column. Counts only. */
export interface ClientFunnel {
  steps: Array<{ step: TransferStep; label: string }>;
  rows: FunnelRow[];
  totals: FunnelRow;
  finished: number;
  stalled: number;
}

export function clientFunnel(counts: ClientCountsResponse): ClientFunnel {
  const perStep = counts.byStepAndTargetGroup as unknown as Record<TransferStep, Record<TargetGroup, number>>;
  const rows = TARGET_GROUPS.map((group): FunnelRow => {
    const cells = TRANSFER_STEPS.map((step) => perStep[step]?.[group] ?? 0);
    return { label: TARGET_GROUP_LABELS[group], counts: cells, total: cells.reduce((sum, n) => sum + n, 0) };
  });
  const columnTotals = TRANSFER_STEPS.map((_, column) => rows.reduce((sum, row) => sum + row.counts[column], 0));
  return {
    steps: TRANSFER_STEPS.map((step) => ({ step, label: STEP_LABELS[step] })),
    rows,
    totals: { label: 'Totaal', counts: columnTotals, total: columnTotals.reduce((sum, n) => sum + n, 0) },
    finished: counts.finished,
    stalled: counts.stalled,
  };
}
