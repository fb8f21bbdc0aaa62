/** Business workflow id of a handover: municipality, district and go-live, e.g. `rotterdam.feijenoord.2027-06-01`. */
export function transitionIdOf(plan: { municipality: string; district: string; goLiveDate: string }): string {
  return `${plan.municipality}.${plan.district}.${plan.goLiveDate}`;
}

/** Codes cannot contain dots, so the id splits back unambiguously. */
export const TRANSITION_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*\.[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
