import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { amsterdamToday } from '../../time/amsterdam';

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
