import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { amsterdamToday } from '../../time/amsterdam';

@ValidatorConstraint({ name: 'differsFrom' })
export class DiffersFrom implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [other] = args.constraints as [string];
    return value !== (args.object as Record<string, unknown>)[other];
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must differ from ${args.constraints[0]}`;
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
