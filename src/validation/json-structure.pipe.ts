import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Deepest nesting of objects and arrays a body may have; the top-level object is level 1. */
export const MAX_BODY_DEPTH = 32;

/**
 * Property names that reach an object's prototype when copied by assignment: JSON.parse makes
 * `__proto__` an own property, and class-transformer then sets the DTO's prototype from it, so
 * the ValidationPipe's whitelist never sees it.
 */
export const FORBIDDEN_PROPERTY_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const forbiddenPropertyRule = (root: string) => `${root} must not have a property named __proto__, constructor or prototype`;
export const depthRule = (root: string) => `${root} must not be nested deeper than ${MAX_BODY_DEPTH} levels`;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * What is wrong with the shape of a parsed body or query (`root` names it in the messages):
 * nesting deeper than MAX_BODY_DEPTH, and any property named __proto__, constructor or
 * prototype, at any depth. Walks iteratively and stops at the bound, so no input can exhaust
 * the stack here or in the DTO transformation after it.
 */
export function findStructureProblems(value: unknown, root: string): string[] {
  let tooDeep = false;
  let forbidden = false;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (pending.length > 0 && !(tooDeep && forbidden)) {
    const { value: current, depth } = pending.pop()!;
    if (!isObject(current)) continue;
    if (depth > MAX_BODY_DEPTH) {
      tooDeep = true;
      continue;
    }
    const keys = Object.keys(current);
    if (!Array.isArray(current) && keys.some((key) => FORBIDDEN_PROPERTY_NAMES.has(key))) forbidden = true;
    for (const key of keys) pending.push({ value: current[key], depth: depth + 1 });
  }
  return [...(tooDeep ? [depthRule(root)] : []), ...(forbidden ? [forbiddenPropertyRule(root)] : [])];
}

export const BODY_NOT_OBJECT = 'body must be a JSON object, such as {}';

/**
 * Refuses, with 400 naming the rule, a body that is no JSON object, or a body or query that is
 * nested too deeply or holds a property that would reach a prototype. Registered globally as
 * the first pipe, before any other walks the value or a DTO is made from it.
 */
@Injectable()
export class RefuseUnsafeStructurePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const root = metadata.data ?? metadata.type;
    // A whole body is an object; without one (no bytes sent) the DTO sees {}.
    if (metadata.type === 'body' && metadata.data === undefined && value !== undefined && (!isObject(value) || Array.isArray(value))) {
      throw new BadRequestException([BODY_NOT_OBJECT]);
    }
    const problems = findStructureProblems(value, root);
    if (problems.length > 0) throw new BadRequestException(problems);
    return value;
  }
}
