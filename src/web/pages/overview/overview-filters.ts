import type { TransitionState } from '../../../../workflows/transition/definitions';
import { CODE } from '../../../organisations/codes';
import { TRANSITION_STATES } from '../../dutch-labels';

/** The overview's filters, as its GET form puts them in the URL (so a view can be bookmarked). */
export interface OverviewFilters {
  state?: TransitionState;
  atRisk?: boolean;
  /** Outgoing or incoming provider (a code). */
  provider?: string;
}

/**
 * The filters from the query string. A value that is not one of the form's (hand-edited, or
 * from an old bookmark) is left out rather than refused: the page then shows everything.
 */
export function overviewFilters(query: Record<string, unknown>): OverviewFilters {
  const filters: OverviewFilters = {};
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const state = text('status');
  if (state && (TRANSITION_STATES as string[]).includes(state)) filters.state = state as TransitionState;
  const atRisk = text('risico');
  if (atRisk === 'ja') filters.atRisk = true;
  if (atRisk === 'nee') filters.atRisk = false;
  const provider = text('aanbieder');
  if (provider && provider.length <= 64 && CODE.test(provider)) filters.provider = provider;
  return filters;
}
