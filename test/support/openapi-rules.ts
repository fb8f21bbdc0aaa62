import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

export interface Operation {
  /** `POST /transitions/{transitionId}/cancel` */
  label: string;
  method: (typeof METHODS)[number];
  path: string;
  operation: OperationObject;
}

export function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      label: `${method.toUpperCase()} ${path}`,
      method,
      path,
      operation: item[method] as OperationObject,
    })),
  );
}

const isReference = (value: object): value is ReferenceObject => '$ref' in value;

/** A component schema by its `$ref`, or undefined when the reference does not resolve. */
export function resolveSchema(document: OpenAPIObject, schema: SchemaObject | ReferenceObject): SchemaObject | undefined {
  if (!isReference(schema)) return schema;
  const target = document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  return target && !isReference(target) ? target : undefined;
}

const parametersOf = (operation: OperationObject) =>
  (operation.parameters ?? []).filter((parameter): parameter is ParameterObject => !isReference(parameter));

/** The public routes: no bearer token wanted. */
const PUBLIC = new Set(['GET /health', 'GET /health/ready']);
/** Statuses every command (a POST) documents, beyond 2xx. */
const COMMAND_STATUSES = ['400', '401', '403', '413', '415', '429', '503'];

/**
 * What makes the document untrue to the service, as one line per problem: path parameters,
 * the bearer scheme, optional headers, schemas of answers, error answers, closed bodies.
 */
export function documentProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  const schemes = document.components?.securitySchemes ?? {};
  const bearer = schemes.bearer;
  if (!bearer || isReference(bearer) || bearer.type !== 'http' || bearer.scheme !== 'bearer') {
    problems.push('components.securitySchemes.bearer is not an HTTP bearer scheme');
  }
  for (const { label, path, method, operation } of operationsOf(document)) {
    const parameters = parametersOf(operation);

    // Every {param} of the path is a required path parameter with a schema, and nothing else is.
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const declared = parameters.filter((parameter) => parameter.in === 'path');
    for (const name of inPath) {
      const parameter = declared.find((candidate) => candidate.name === name);
      if (!parameter) problems.push(`${label}: path parameter ${name} is not declared`);
      else if (!parameter.required || !parameter.schema) problems.push(`${label}: path parameter ${name} is not required or has no schema`);
    }
    for (const parameter of declared) {
      if (!inPath.includes(parameter.name)) problems.push(`${label}: path parameter ${parameter.name} is not in the path`);
    }

    // The correlation id is optional wherever it is read.
    for (const parameter of parameters) {
      if (parameter.in === 'header' && parameter.name.toLowerCase() === 'x-correlation-id' && parameter.required) {
        problems.push(`${label}: x-correlation-id is marked required`);
      }
    }

    // Security: every scheme named exists; every route but the public ones wants the bearer token.
    for (const requirement of operation.security ?? []) {
      for (const name of Object.keys(requirement)) {
        if (!schemes[name]) problems.push(`${label}: security scheme ${name} is not in components.securitySchemes`);
      }
    }
    const wantsBearer = (operation.security ?? []).some((requirement) => 'bearer' in requirement);
    if (!PUBLIC.has(label) && !wantsBearer) problems.push(`${label}: does not want the bearer token`);

    // Answers: every 2xx has a schema per media type; every error answer the error body.
    const responses = operation.responses as Record<string, ResponseObject | ReferenceObject>;
    const statuses = Object.keys(responses);
    if (!statuses.some((status) => status.startsWith('2'))) problems.push(`${label}: no 2xx answer documented`);
    for (const [status, response] of Object.entries(responses)) {
      if (isReference(response)) continue;
      const content = Object.entries(response.content ?? {});
      if (status.startsWith('2')) {
        // 204 No Content is the one success that has none, by definition.
        if (content.length === 0 && status !== '204') problems.push(`${label}: ${status} has no content`);
        for (const [mediaType, { schema }] of content) {
          if (!schema || !resolveSchema(document, schema)) problems.push(`${label}: ${status} ${mediaType} has no schema`);
        }
      } else if (Number(status) >= 400 && !PUBLIC.has(label)) {
        const schema = response.content?.['application/json']?.schema;
        if (!schema || !isReference(schema) || !schema.$ref.endsWith('/ErrorResponse')) {
          problems.push(`${label}: ${status} does not answer with the error body`);
        }
      }
    }
    if (!PUBLIC.has(label)) {
      for (const status of ['401', '429']) {
        if (!statuses.includes(status)) problems.push(`${label}: ${status} is not documented`);
      }
      const tooMany = responses['429'];
      if (tooMany && !isReference(tooMany) && !tooMany.headers?.['Retry-After']) problems.push(`${label}: 429 without Retry-After`);
    }
    if (method === 'post') {
      for (const status of COMMAND_STATUSES) {
        if (!statuses.includes(status)) problems.push(`${label}: ${status} is not documented`);
      }
    }

    // The ValidationPipe refuses unknown properties: every JSON body says so.
    const body = operation.requestBody;
    // A file route (its body the bytes of a file, not JSON) names its media types, each as binary.
    const binaryOnly =
      body && !isReference(body) && !body.content['application/json'] && Object.keys(body.content).length > 0 &&
      Object.values(body.content).every(({ schema }) => schema && !isReference(schema) && schema.type === 'string' && schema.format === 'binary');
    if (body && !isReference(body) && !binaryOnly) {
      const schema = body.content['application/json']?.schema;
      const resolved = schema && resolveSchema(document, schema);
      if (!resolved) problems.push(`${label}: the request body has no JSON schema`);
      else if (resolved.additionalProperties !== false) problems.push(`${label}: the request body allows unknown properties`);
    }
  }
  return problems;
}
