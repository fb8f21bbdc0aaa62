import { randomUUID } from 'node:crypto';
import { SEEDED_TEMPLATES } from '../../src/database/migrations/1763890000000-create-organisations-plans-access';
import { PROVIDER_CHANGE_V2 as PROVIDER_CHANGE_V2_DATA } from '../../src/database/migrations/1764200000000-client-transfers';
import { PROVIDER_CHANGE_V3 as PROVIDER_CHANGE_V3_DATA } from '../../src/database/migrations/1764300000000-resident-campaigns';
import type { PlanTemplate } from '../../src/plans/plan-template.types';
import { amsterdamToday } from '../../src/time/amsterdam';
import { planTransition } from '../../src/transitions/plan-transition';
import type { TransitionPlannedData } from '../../src/transitions/transition.events';
import { addDays } from '../../src/time/calendar';
import { plannedEventData } from '../../workflows/transition/decide';

/** The templates the migrations seed, as the service reads them from plan_templates. */
export const [PROVIDER_CHANGE, CONTINUATION] = SEEDED_TEMPLATES as PlanTemplate[];
/** The provider-change template whose client milestone is a check on data (the latest). */
export const PROVIDER_CHANGE_V2 = PROVIDER_CHANGE_V2_DATA as PlanTemplate;
/** Version 3: "residents informed" is also a check on data (the handover's resident campaign). */
export const PROVIDER_CHANGE_V3 = PROVIDER_CHANGE_V3_DATA as PlanTemplate;

/** A go-live date `days` after today in Europe/Amsterdam (YYYY-MM-DD). */
export function goLiveInDays(days: number): string {
  return addDays(amsterdamToday(), days);
}

/** The TransitionPlanned data a workflow records for a Rotterdam provider change in `district`. */
export function plannedFor(district: string, goLiveDate = goLiveInDays(90)): TransitionPlannedData {
  const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };
  const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate };
  const start = planTransition(request, PROVIDER_CHANGE, policy, { user: 'c', organisation: 'rotterdam', role: 'coordinator' }, randomUUID());
  return plannedEventData(start);
}
