import { DateTime } from 'luxon';
import type { TransitionPlan } from '../../workflows/transition.definitions';
import { AMSTERDAM, startOfAmsterdamDay } from '../../src/time/amsterdam';
import { transitionIdOf } from '../../src/transitions/transition-id';

/** A go-live date `days` after today in Europe/Amsterdam (YYYY-MM-DD). */
export function goLiveInDays(days: number): string {
  return DateTime.now().setZone(AMSTERDAM).plus({ days }).toISODate()!;
}

/** A handover plan as the API builds it, with a district unique to the calling test. */
export function planFor(district: string, goLiveDate = goLiveInDays(90)): TransitionPlan {
  const codes = { municipality: 'rotterdam', district, goLiveDate };
  return {
    ...codes,
    transitionId: transitionIdOf(codes),
    outgoingProvider: 'welzijn-maas',
    incomingProvider: 'buurtkracht',
    goLiveAt: startOfAmsterdamDay(goLiveDate),
  };
}
