import type { TransferStep } from './client.events';

export const NEXT_ACTIONS = ['inform', 'record-consent', 'transfer-file', 'plan-intake', 'accept', 'end'] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];
export const MOVERS = ['outgoing', 'incoming', 'either'] as const;
export type Mover = (typeof MOVERS)[number];

const NEXT: Record<TransferStep, { action: NextAction; by: Mover } | null> = {
  listed: { action: 'inform', by: 'outgoing' },
  informed: { action: 'record-consent', by: 'outgoing' },
  'consent-given': { action: 'transfer-file', by: 'outgoing' },
  'file-transferred': { action: 'plan-intake', by: 'incoming' },
  'intake-planned': { action: 'accept', by: 'incoming' },
  accepted: null,
  declined: null,
  ended: null,
};

/**
 * What a transfer needs next and whose move it is; null once it is finished. An erased client
 * whose file has not moved yet cannot move on: its transfer can only be ended.
 */
export function nextStepOf(step: TransferStep, erased: boolean): { action: NextAction; by: Mover } | null {
  if (erased && step === 'consent-given') return { action: 'end', by: 'either' };
  return NEXT[step];
}
