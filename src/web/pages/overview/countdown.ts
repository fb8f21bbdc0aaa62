const DAY_MS = 86_400_000;

/** Whole calendar days from `today` to `date` (both YYYY-MM-DD): negative when `date` is past. */
export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** A countdown in days, in Dutch: "over 12 dagen", "morgen", "vandaag", "gisteren", "3 dagen geleden". */
export function countdownText(days: number): string {
  if (days === 0) return 'vandaag';
  if (days === 1) return 'morgen';
  if (days === -1) return 'gisteren';
  return days > 0 ? `over ${days} dagen` : `${-days} dagen geleden`;
}
