import { BadRequestException } from '@nestjs/common';
import { getMetadataStorage, ValidationError } from 'class-validator';

/** The properties a DTO class declares rules for: what the whitelist lets through. */
function declaredProperties(target: object | undefined): string[] {
  if (!target) return [];
  const rules = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))];
}

/** The refusal of properties the DTO does not declare: lists what is allowed, never the name that was sent. */
export const unknownPropertyMessage = (allowed: string[]) =>
  `unknown property (${allowed.length > 0 ? `only these are allowed: ${allowed.join(', ')}` : 'none are allowed'})`;

/**
 * class-validator's errors as messages that name the field and the rule. The whitelist's
 * "property <name> should not exist" would repeat whatever name the caller sent (a sentence, a
 * name, a marker): it becomes "unknown property (only these are allowed: …)", once.
 */
export function validationMessages(errors: ValidationError[], parentPath?: string): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const text = constraint === 'whitelistValidation' ? unknownPropertyMessage(declaredProperties(error.target)) : message;
      // As Nest does: a nested DTO's messages start with the path of the property holding it.
      messages.push(parentPath ? `${parentPath}.${text}` : text);
    }
    if (error.children?.length) messages.push(...validationMessages(error.children, path));
  }
  return [...new Set(messages)];
}

/** The ValidationPipe's exceptionFactory. */
export const validationException = (errors: ValidationError[]) => new BadRequestException(validationMessages(errors));
