import type { TransitionState } from '../../../../workflows/transition/definitions';
import { CODE } from '../../../organisations/codes';
import type { TransitionSort } from '../../../transitions/dto/list-transitions.query';
import { TRANSITION_STATES } from '../../dutch-labels';
import { pageLink } from '../../page-links';

/** The overview's filters, as its GET form puts them in the URL (so a view can be bookmarked). */
export interface OverviewFilters {
  state?: TransitionState;
  atRisk?: boolean;
  /** Outgoing or incoming provider (a code). */
  provider?: string;
}

/** The overview's sort orders as the URL names them (`?sortering=`), "least time to act" first. */
export const OVERVIEW_SORTS: ReadonlyArray<{ value: string; sort: TransitionSort; label: string }> = [
  { value: 'actie', sort: 'time-to-act', label: 'Eerst wat het snelst aandacht nodig heeft' },
  { value: 'start', sort: 'go-live', label: 'Startdatum, vroegste eerst' },
];

/** What the URL asks of the overview besides the page: its filters and its order. */
export interface OverviewView {
  filters: OverviewFilters;
  sort: TransitionSort;
  /** Rows per page (`?aantal=`), when the URL names a valid number. */
  pageSize?: number;
}

/**
 * The filters from the query string. A value that is not one of the form's (hand-edited, or
 * from an old bookmark) is left out rather than refused: the page then shows everything.
 */
export function overviewFilters(query: Record<string, unknown>): OverviewFilters {
  const filters: OverviewFilters = {};
  const state = text(query, 'status');
  if (state && (TRANSITION_STATES as string[]).includes(state)) filters.state = state as TransitionState;
  const atRisk = text(query, 'risico');
  if (atRisk === 'ja') filters.atRisk = true;
  if (atRisk === 'nee') filters.atRisk = false;
  const provider = text(query, 'aanbieder');
  if (provider && provider.length <= 64 && CODE.test(provider)) filters.provider = provider;
  return filters;
}

/** The sort of `?sortering=`; an unknown one is the default, least time to act. */
export function overviewSort(query: Record<string, unknown>): TransitionSort {
  return OVERVIEW_SORTS.find((option) => option.value === text(query, 'sortering'))?.sort ?? 'time-to-act';
}

/** The overview's URL for this view, from its page at `cursor` (the first page without one). */
export function overviewLink({ filters, sort, pageSize }: OverviewView, cursor?: string): string {
  return pageLink('/', {
    status: filters.state,
    risico: filters.atRisk === undefined ? undefined : filters.atRisk ? 'ja' : 'nee',
    aanbieder: filters.provider,
    sortering: sort === 'time-to-act' ? undefined : OVERVIEW_SORTS.find((option) => option.sort === sort)!.value,
    aantal: pageSize,
    na: cursor,
  });
}

const text = (query: Record<string, unknown>, name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
