import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { amsterdamToday } from '../../time/amsterdam';
import { addDays } from '../../time/calendar';
import { latestGoLiveDate as latestGoLiveOn, MAX_GO_LIVE_YEARS_AHEAD } from '../go-live-rules';

export { MAX_GO_LIVE_YEARS_AHEAD };

/** The latest go-live allowed today (Europe/Amsterdam). */
export const latestGoLiveDate = (today: string = amsterdamToday()) => latestGoLiveOn(today);

/** A date as YYYY-MM-DD (ASCII digits); whether it is a real calendar date is checked apart. */
export const DATE_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * The go-live date the API document shows in its examples: the first 1 June at least half a
 * year ahead (Europe/Amsterdam), so an example create is valid as it stands for months.
 */
export function exampleGoLiveDateOn(today: string): string {
  const earliest = addDays(today, 180);
  const year = Number(today.slice(0, 4));
  return `${year}-06-01` >= earliest ? `${year}-06-01` : `${year + 1}-06-01`;
}
export const exampleGoLiveDate = exampleGoLiveDateOn(amsterdamToday());

/** Longest code of a municipality, district, provider, task or milestone we accept. */
export const CODE_MAX_LENGTH = 60;

/** Longest transition id: two codes and a date, joined by dots. */
export const TRANSITION_ID_MAX_LENGTH = 2 * CODE_MAX_LENGTH + '..YYYY-MM-DD'.length;

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
    return typeof value === 'string' && DATE_PATTERN.test(value) && value <= latestGoLiveDate();
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be at most ${MAX_GO_LIVE_YEARS_AHEAD} years after today (on or before ${latestGoLiveDate()}, Europe/Amsterdam)`;
  }
}
