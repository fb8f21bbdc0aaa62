import type { TransitionPlan } from '../../workflows/transition.definitions';

/** Event types of a transition's stream, with the schema version of their data. */
export const TransitionEvents = {
  planned: { type: 'TransitionPlanned', schemaVersion: 1 },
  wentLive: { type: 'TransitionWentLive', schemaVersion: 1 },
} as const;

export type TransitionPlannedData = TransitionPlan;

export interface TransitionWentLiveData {
  transitionId: string;
  goLiveDate: string;
}
