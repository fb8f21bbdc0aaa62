/** Codes of municipalities, districts, providers, tasks and milestones: lowercase words joined by single hyphens. */
export const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const codeMessage = (field: string) =>
  `${field} must be a lowercase code of letters, digits and single hyphens (e.g. "feijenoord")`;
