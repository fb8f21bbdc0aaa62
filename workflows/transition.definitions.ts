import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../src/events/event.types';

export type TransitionState = 'planned' | 'preparing' | 'ready' | 'live' | 'closed' | 'cancelled';

/** What a coordinator fixes when creating a handover; codes only, never personal data. */
export interface TransitionPlan {
  transitionId: string;
  municipality: string;
  district: string;
  outgoingProvider: string;
  incomingProvider: string;
  /** Calendar date in Europe/Amsterdam, YYYY-MM-DD. */
  goLiveDate: string;
  /** The instant the go-live date starts in Europe/Amsterdam (ISO 8601, UTC). */
  goLiveAt: string;
}

/** The workflow's input: the plan, and who asked for it in which request (for the audit trail). */
export interface TransitionStart {
  plan: TransitionPlan;
  requestedBy: Actor;
  correlationId: string;
}

export interface TransitionStatus extends TransitionPlan {
  state: TransitionState;
}

export const transitionStatusQuery = defineQuery<TransitionStatus>('transitionStatus');

/** Completes once the transition is recorded in the database, so a creator can read its own write. */
export const transitionRegisteredUpdate = defineUpdate<TransitionStatus>('transitionRegistered');
