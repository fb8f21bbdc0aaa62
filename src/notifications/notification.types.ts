import type { TransferStep } from '../clients/client.events';

/**
 * What a workflow tells the notifications feature to send: facts (codes, titles, dates), never
 * the wording, which src/notifications/messages.ts owns.
 */
export type NotificationFacts =
  | { kind: 'task-reminder'; task: NotifiedTask; daysBefore: number }
  | { kind: 'escalation'; task: NotifiedTask }
  | { kind: 'go-live-reminder'; goLiveDate: string; daysBefore: number; openTasks: number }
  | { kind: 'go-live-gate'; goLiveDate: string; unmetMilestones: string[] }
  /** A client transfer waits for the recipient's next step; the client by pseudonym only. */
  | { kind: 'transfer-stalled'; pseudonym: string; step: TransferStep; since: string }
  /** Close to go-live, client transfers are not finished: counts only. */
  | { kind: 'client-transfers-escalation'; goLiveDate: string; openTransfers: number; totalTransfers: number }
  /** The resident campaign will not inform everyone by its deadline, or did not: counts and dates only. */
  | {
      kind: 'campaign-behind-schedule';
      campaignId: string;
      reason: 'projection' | 'deadline-passed';
      deadline: string;
      projectedFinish: string | null;
      remaining: number;
    }
  /** At the pace of the last weeks the handover will not be ready for go-live (see src/forecast): dates only. */
  | { kind: 'readiness-late'; goLiveDate: string; readyDate: string | null; daysLate: number | null };

export interface NotifiedTask {
  id: string;
  title: string;
  dueDate: string;
  assignee: string;
}

export type NotificationKind = NotificationFacts['kind'];

export type NotificationRequest = NotificationFacts & {
  /** Deterministic per transition, alarm and recipient: the key that keeps a notification single. */
  notificationId: string;
  organisation: string;
  transitionId: string;
};
