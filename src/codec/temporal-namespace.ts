import { BadRequestException } from '@nestjs/common';

export const NAMESPACE_RULE = "X-Namespace, when sent, must name the Temporal namespace of this service's workflows";

/**
 * The namespace of a codec request (the X-Namespace header the UI sends): when named, it must be
 * this service's, the only one whose payloads its key opens, so the audit names it truly; a
 * client that names none (the convention makes the header optional) means this one.
 */
export function namespaceOf(header: string | undefined, served: string): string {
  if (header !== undefined && header !== served) throw new BadRequestException([NAMESPACE_RULE]);
  return served;
}
