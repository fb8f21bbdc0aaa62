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

export const TRANSITION_STATES = Object.keys(STATE_LABELS) as TransitionState[];

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `2022-06-01` as `1 juni 2022`. */
export function dutchDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}
