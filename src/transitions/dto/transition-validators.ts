import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { DateTime } from 'luxon';
import { amsterdamToday } from '../../time/amsterdam';

/**
 * Go-live is at most this many years after today: contracts run up to 10 years, and every date
 * derived from go-live (tasks due up to about 120 days before it, the evaluation about 90 days
 * after) stays an ordinary calendar date. The workflow checks a moved go-live by the same rule.
 */
export const MAX_GO_LIVE_YEARS_AHEAD = 10;

/** Longest code of a municipality, district, provider, task or milestone we accept. */
export const CODE_MAX_LENGTH = 60;

/** Longest transition id: two codes and a date, joined by dots. */
export const TRANSITION_ID_MAX_LENGTH = 2 * CODE_MAX_LENGTH + '..YYYY-MM-DD'.length;

/** The latest go-live allowed on `today` (YYYY-MM-DD): that date MAX_GO_LIVE_YEARS_AHEAD years on (29 Feb → 28 Feb). */
export function latestGoLiveDate(today: string = amsterdamToday()): string {
  return DateTime.fromISO(today, { zone: 'UTC' }).plus({ years: MAX_GO_LIVE_YEARS_AHEAD }).toISODate()!;
}

/** A provider change needs two providers; a continuation keeps the one it has. */
@ValidatorConstraint({ name: 'providersFitTemplate' })
export class ProvidersFitTemplate implements ValidatorConstraintInterface {
  validate(incoming: unknown, args: ValidationArguments): boolean {
    const { outgoingProvider, template } = args.object as { outgoingProvider?: string; template?: string };
    return template === 'continuation' ? incoming === outgoingProvider : incoming !== outgoingProvider;
  }

  defaultMessage(args: ValidationArguments): string {
    return (args.object as { template?: string }).template === 'continuation'
      ? `${args.property} must equal outgoingProvider for a continuation`
      : `${args.property} must differ from outgoingProvider`;
  }
}

@ValidatorConstraint({ name: 'isFutureAmsterdamDate' })
export class IsFutureAmsterdamDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value > amsterdamToday();
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be after today (${amsterdamToday()}, Europe/Amsterdam)`;
  }
}

/** A YYYY-MM-DD date at most MAX_GO_LIVE_YEARS_AHEAD years after today in Europe/Amsterdam. */
@ValidatorConstraint({ name: 'isWithinGoLiveHorizon' })
export class IsWithinGoLiveHorizon implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && value <= latestGoLiveDate();
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be at most ${MAX_GO_LIVE_YEARS_AHEAD} years after today (on or before ${latestGoLiveDate()}, Europe/Amsterdam)`;
  }
}
