import type { CampaignState } from '../campaigns/campaign.events';
import type { TransitionState } from '../../workflows/transition/definitions';

/** A handover's state as the pages name it. */
export const STATE_LABELS: Record<TransitionState, string> = {
  planned: 'Gepland',
  preparing: 'In voorbereiding',
  ready: 'Klaar voor start',
  live: 'Gestart',
  closed: 'Afgesloten',
  cancelled: 'Geannuleerd',
};

/** A resident campaign's state as the pages name it. */
export const CAMPAIGN_STATE_LABELS: Record<CampaignState, string> = {
  draft: 'Concept',
  approved: 'Goedgekeurd',
  sending: 'Wordt verstuurd',
  paused: 'Gepauzeerd',
  completed: 'Klaar',
  cancelled: 'Geannuleerd',
};

export const TRANSITION_STATES = Object.keys(STATE_LABELS) as TransitionState[];

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `2022-06-01` as `1 juni 2022`. */
export function dutchDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}
