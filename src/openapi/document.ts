import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, ReferenceObject, SchemaObject, SwaggerModule } from '@nestjs/swagger';

/** The name of the bearer scheme: `@ApiBearerAuth()` refers to it by this default name. */
export const BEARER_SCHEME = 'bearer';

const isReference = (schema: SchemaObject | ReferenceObject): schema is ReferenceObject => '$ref' in schema;

/**
 * The global ValidationPipe refuses unknown properties (forbidNonWhitelisted), so every JSON
 * request body the document names is closed: `additionalProperties: false`.
 */
function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.put, path.post, path.delete, path.patch]) {
      const body = operation?.requestBody;
      if (!body || '$ref' in body) continue;
      const schema = body.content['application/json']?.schema;
      if (!schema || !isReference(schema)) continue;
      const target = schemas[schema.$ref.replace('#/components/schemas/', '')];
      if (target && !isReference(target)) target.additionalProperties = false;
    }
  }
}

/** The OpenAPI document of the service, as served at /api/docs-json. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Overdracht')
      .setDescription(
        'Handover of neighbourhood welfare work between providers, district by district. Every route but /health ' +
          'wants `Authorization: Bearer <token>`. Refusals and failures answer with `{ statusCode, message, error }`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'opaque (ovd_…)', description: 'A token from `npm run token:create`' },
        BEARER_SCHEME,
      )
      .build(),
  );
  closeRequestBodies(document);
  return document;
}

/** Serves the document: the UI at /api/docs, the JSON at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app));
}
