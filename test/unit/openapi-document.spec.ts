import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { OpenAPIObject, ParameterObject, SchemaObject } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AuditExports } from '../../src/audit/audit-exports';
import { AuditController } from '../../src/audit/audit.controller';
import { AuditVerifier } from '../../src/audit/audit-verifier.service';
import { AudiencesController } from '../../src/campaigns/audiences/audiences.controller';
import { AudiencesService } from '../../src/campaigns/audiences/audiences.service';
import { CampaignController } from '../../src/campaigns/campaign.controller';
import { CampaignPreviews } from '../../src/campaigns/campaign-previews';
import { CampaignProgressReader } from '../../src/campaigns/campaign-progress';
import { CampaignService } from '../../src/campaigns/campaign.service';
import { ClientReadsService } from '../../src/clients/reads/client-reads.service';
import { ClientsController, HandoverClientsController, MyClientsController } from '../../src/clients/reads/clients.controller';
import { BulkTransferCommands } from '../../src/clients/transfers/bulk-commands';
import { BulkCommandsController } from '../../src/clients/transfers/bulk-commands.controller';
import { TransferCommandsController } from '../../src/clients/transfers/transfer-commands.controller';
import { TransferCommandsService } from '../../src/clients/transfers/transfer-commands.service';
import { HealthController } from '../../src/health/health.controller';
import { HttpLifecycle } from '../../src/http/request-lifecycle';
import { NotificationsController } from '../../src/notifications/notifications.controller';
import { createOpenApiDocument } from '../../src/openapi/document';
import { CODE } from '../../src/organisations/codes';
import { PlansController } from '../../src/plans/plans.controller';
import { PlanTemplatesService } from '../../src/plans/plan-templates.service';
import { MyTasksController } from '../../src/tasks/my-tasks.controller';
import { TasksController } from '../../src/tasks/tasks.controller';
import { TemporalHealthIndicator } from '../../src/temporal/temporal.health';
import { exampleGoLiveDateOn } from '../../src/transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../../src/transitions/transition-id';
import { TransitionsController } from '../../src/transitions/transitions.controller';
import { TransitionsService } from '../../src/transitions/transitions.service';
import { ACCEPTABLE_TEXT_PATTERN, textProblem } from '../../src/validation/control-characters.pipe';
import { documentProblems, operationsOf, resolveSchema } from '../support/openapi-rules';

/** The document as the service builds it, from its controllers alone (no database, no Temporal). */
async function buildDocument(): Promise<{ app: INestApplication; document: OpenAPIObject }> {
  const moduleRef = await Test.createTestingModule({
    controllers: [
      TransitionsController,
      TasksController,
      MyTasksController,
      NotificationsController,
      AuditController,
      PlansController,
      HealthController,
      TransferCommandsController,
      BulkCommandsController,
      ClientsController,
      HandoverClientsController,
      MyClientsController,
      AudiencesController,
      CampaignController,
    ],
    providers: [
      TransitionsService, AuditVerifier, AuditExports, PlanTemplatesService, HealthCheckService, TypeOrmHealthIndicator, TemporalHealthIndicator, ConfigService, HttpLifecycle,
      TransferCommandsService, BulkTransferCommands, ClientReadsService,
      AudiencesService, CampaignService, CampaignProgressReader, CampaignPreviews,
    ]
      .map((provide) => ({ provide, useValue: {} }))
      .concat([{ provide: getDataSourceToken() as never, useValue: {} }]),
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  return { app, document: createOpenApiDocument(app) };
}

describe('the OpenAPI document', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => ({ app, document } = await buildDocument()));
  afterAll(() => app?.close());

  const operation = (label: string) => {
    const found = operationsOf(document).find((candidate) => candidate.label === label);
    if (!found) throw new Error(`${label} is not in the document`);
    return found.operation;
  };
  const parameter = (label: string, name: string) =>
    (operation(label).parameters as ParameterObject[]).find((candidate) => candidate.name === name)!;
  const component = (name: string) => resolveSchema(document, { $ref: `#/components/schemas/${name}` })!;
  const property = (schema: string, name: string) => component(schema).properties![name] as SchemaObject;

  it('has every route, each with path parameters, the bearer scheme, answers with schemas and the error answers', () => {
    expect(operationsOf(document).map(({ label }) => label).sort()).toEqual([
      'GET /audit/verify',
      'GET /clients/{pseudonym}',
      'GET /clients/{pseudonym}/file',
      'GET /health',
      'GET /health/ready',
      'GET /me/clients',
      'GET /me/notifications',
      'GET /me/tasks',
      'GET /templates',
      'GET /transitions',
      'GET /transitions/{transitionId}',
      'GET /transitions/{transitionId}/audiences',
      'GET /transitions/{transitionId}/audit',
      'GET /transitions/{transitionId}/campaigns',
      'GET /transitions/{transitionId}/campaigns/{campaignId}',
      'GET /transitions/{transitionId}/campaigns/{campaignId}/batches/{batchNo}/letters.pdf',
      'GET /transitions/{transitionId}/campaigns/{campaignId}/batches/{batchNo}/manifest.csv',
      'GET /transitions/{transitionId}/campaigns/{campaignId}/preview',
      'GET /transitions/{transitionId}/campaigns/{campaignId}/preview.pdf',
      'GET /transitions/{transitionId}/clients',
      'GET /transitions/{transitionId}/clients/counts',
      'GET /transitions/{transitionId}/timeline',
      'PATCH /transitions/{transitionId}/campaigns/{campaignId}',
      'POST /clients/{pseudonym}/accept',
      'POST /clients/{pseudonym}/consent',
      'POST /clients/{pseudonym}/end',
      'POST /clients/{pseudonym}/erase',
      'POST /clients/{pseudonym}/file',
      'POST /clients/{pseudonym}/informed',
      'POST /clients/{pseudonym}/intake',
      'POST /transitions',
      'POST /transitions/{transitionId}/audiences/addresses',
      'POST /transitions/{transitionId}/audiences/subscribers',
      'POST /transitions/{transitionId}/audiences/subscribers/erase',
      'POST /transitions/{transitionId}/campaigns',
      'POST /transitions/{transitionId}/campaigns/{campaignId}/approve',
      'POST /transitions/{transitionId}/campaigns/{campaignId}/batches/{batchNo}/handed-to-print',
      'POST /transitions/{transitionId}/campaigns/{campaignId}/batches/{batchNo}/posted',
      'POST /transitions/{transitionId}/campaigns/{campaignId}/cancel',
      'POST /transitions/{transitionId}/campaigns/{campaignId}/pause',
      'POST /transitions/{transitionId}/campaigns/{campaignId}/resume',
      'POST /transitions/{transitionId}/cancel',
      'POST /transitions/{transitionId}/clients/bulk/accept',
      'POST /transitions/{transitionId}/clients/bulk/consent',
      'POST /transitions/{transitionId}/clients/bulk/end',
      'POST /transitions/{transitionId}/clients/bulk/informed',
      'POST /transitions/{transitionId}/clients/bulk/intake',
      'POST /transitions/{transitionId}/go-decision',
      'POST /transitions/{transitionId}/go-live',
      'POST /transitions/{transitionId}/milestones/{milestoneId}/sign-off',
      'POST /transitions/{transitionId}/tasks/{taskId}/complete',
      'POST /transitions/{transitionId}/tasks/{taskId}/reopen',
    ]);
    expect(documentProblems(document)).toEqual([]);
  });

  it('declares the path parameters of complete, reopen and sign-off with their rules', () => {
    for (const [label, name] of [
      ['POST /transitions/{transitionId}/tasks/{taskId}/complete', 'taskId'],
      ['POST /transitions/{transitionId}/tasks/{taskId}/reopen', 'taskId'],
      ['POST /transitions/{transitionId}/milestones/{milestoneId}/sign-off', 'milestoneId'],
    ]) {
      expect(parameter(label, 'transitionId')).toMatchObject({
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: TRANSITION_ID_PATTERN.source, maxLength: 132 },
      });
      expect(parameter(label, name)).toMatchObject({ in: 'path', required: true, schema: { pattern: CODE.source, maxLength: 60 } });
    }
  });

  it('names the bearer scheme the operations use, and leaves health public', () => {
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(operation('POST /transitions/{transitionId}/cancel').security).toEqual([{ bearer: [] }]);
    expect(operation('GET /health').security).toBeUndefined();
    expect(operation('GET /health/ready').security).toBeUndefined();
  });

  it('marks x-correlation-id optional', () => {
    expect(parameter('POST /transitions', 'x-correlation-id')).toMatchObject({ in: 'header', required: false });
  });

  it('documents the answers a command gets, 503 and 429 with Retry-After included', () => {
    const responses = operation('POST /transitions/{transitionId}/go-live').responses;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(responses['429']).toMatchObject({ headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } } });
    expect(component('ErrorResponse')).toMatchObject({
      required: ['statusCode', 'message'],
      properties: { statusCode: { type: 'integer' }, message: { oneOf: [{ type: 'string' }, { type: 'array' }] }, error: { type: 'string' } },
    });
  });

  it('gives every operation its typed answer', () => {
    const schemaOf = (label: string, status: string, mediaType = 'application/json') =>
      (operation(label).responses[status] as { content: Record<string, { schema: object }> }).content[mediaType].schema;
    expect(schemaOf('POST /transitions', '201')).toEqual({ $ref: '#/components/schemas/TransitionStatusResponse' });
    expect(schemaOf('GET /transitions', '200')).toEqual({ $ref: '#/components/schemas/TransitionPageResponse' });
    expect(property('TransitionPageResponse', 'items')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/TransitionListItemResponse' } });
    expect(schemaOf('GET /transitions/{transitionId}/timeline', '200')).toEqual({ $ref: '#/components/schemas/TimelinePageResponse' });
    expect(schemaOf('GET /transitions/{transitionId}', '200')).toEqual({ $ref: '#/components/schemas/TransitionDetailResponse' });
    expect(schemaOf('GET /me/tasks', '200')).toEqual({ $ref: '#/components/schemas/MyTaskPageResponse' });
    expect(property('MyTaskPageResponse', 'items')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/MyTaskResponse' } });
    expect(schemaOf('GET /me/notifications', '200')).toEqual({ $ref: '#/components/schemas/NotificationPageResponse' });
    expect(property('NotificationPageResponse', 'items')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/NotificationResponse' } });
    for (const page of ['TransitionPageResponse', 'TimelinePageResponse', 'MyTaskPageResponse', 'NotificationPageResponse']) {
      expect(property(page, 'nextCursor')).toMatchObject({ type: 'string', nullable: true });
    }
    expect(schemaOf('GET /templates', '200')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/PlanTemplateResponse' } });
    expect(schemaOf('GET /audit/verify', '200')).toEqual({ $ref: '#/components/schemas/VerificationReportResponse' });
    expect(schemaOf('GET /transitions/{transitionId}/audit', '200')).toEqual({ $ref: '#/components/schemas/AuditExportResponse' });
    expect(schemaOf('GET /transitions/{transitionId}/audit', '200', 'text/csv')).toMatchObject({ type: 'string' });
    expect(component('TransitionStatusResponse').required).toEqual(
      expect.arrayContaining(['transitionId', 'plan', 'state', 'atRisk', 'tasks', 'milestones', 'decision', 'streamVersion']),
    );
  });

  it('states the rules the service enforces on bodies', () => {
    expect(property('ReasonDto', 'reason')).toMatchObject({ minLength: 3, maxLength: 500, pattern: ACCEPTABLE_TEXT_PATTERN.source });
    for (const schema of ['CompleteTaskDto', 'SignOffDto']) {
      expect(property(schema, 'note')).toMatchObject({ maxLength: 500, pattern: ACCEPTABLE_TEXT_PATTERN.source });
      expect(component(schema).required).toBeUndefined();
    }
    for (const field of ['municipality', 'district', 'outgoingProvider', 'incomingProvider']) {
      expect(property('CreateTransitionDto', field)).toMatchObject({ type: 'string', pattern: CODE.source, maxLength: 60 });
    }
    expect(property('CreateTransitionDto', 'goLiveDate')).toMatchObject({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
    expect(property('CreateTransitionDto', 'template')).toMatchObject({ enum: ['provider-change', 'continuation'] });
    for (const field of ['expectedGoLiveDate', 'goLiveDate']) expect(property('MoveGoLiveDto', field)).toMatchObject({ format: 'date' });
    expect(property('MoveGoLiveDto', 'reason')).toMatchObject({ minLength: 3, maxLength: 500 });
    for (const schema of ['CreateTransitionDto', 'MoveGoLiveDto', 'ReasonDto', 'CompleteTaskDto', 'SignOffDto']) {
      expect(component(schema).additionalProperties).toBe(false);
    }
    expect(operation('POST /transitions/{transitionId}/tasks/{taskId}/complete').requestBody).toMatchObject({ required: false });
    expect(operation('POST /transitions/{transitionId}/cancel').requestBody).toMatchObject({ required: true });
  });

  it('states the rules on query values', () => {
    expect(parameter('GET /transitions', 'municipality').schema).toMatchObject({ pattern: CODE.source, maxLength: 60 });
    expect(parameter('GET /transitions', 'state').schema).toMatchObject({ enum: ['planned', 'preparing', 'ready', 'live', 'closed', 'cancelled'] });
    expect(parameter('GET /transitions', 'atRisk').schema).toMatchObject({ type: 'boolean' });
    expect(parameter('GET /me/tasks', 'status').schema).toMatchObject({ enum: ['open', 'done'] });
    expect(parameter('GET /transitions', 'sort').schema).toMatchObject({ enum: ['time-to-act', 'go-live'] });
    expect(parameter('GET /transitions', 'provider').schema).toMatchObject({ pattern: CODE.source, maxLength: 60 });
    for (const list of ['GET /transitions', 'GET /transitions/{transitionId}/timeline', 'GET /me/tasks', 'GET /me/notifications']) {
      expect(parameter(list, 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
      expect(parameter(list, 'cursor').schema).toMatchObject({ type: 'string', maxLength: 400 });
    }
    expect(parameter('GET /audit/verify', 'streamId').schema).toMatchObject({ maxLength: 200, pattern: ACCEPTABLE_TEXT_PATTERN.source });
    expect(parameter('GET /transitions/{transitionId}/audit', 'format').schema).toMatchObject({ enum: ['json', 'csv'] });
  });
});

describe('the OpenAPI document of client transfers', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => ({ app, document } = await buildDocument()));
  afterAll(() => app?.close());

  const operation = (label: string) => operationsOf(document).find((candidate) => candidate.label === label)!.operation;
  const component = (name: string) => resolveSchema(document, { $ref: `#/components/schemas/${name}` })!;

  it('takes the file as bytes, PDF or ZIP, and gives it back the same way, 410 once erased', () => {
    expect(operation('POST /clients/{pseudonym}/file').requestBody).toMatchObject({
      required: true,
      content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'application/zip': { schema: { type: 'string', format: 'binary' } } },
    });
    const download = operation('GET /clients/{pseudonym}/file').responses;
    expect(download['200']).toMatchObject({ content: { 'application/pdf': { schema: { format: 'binary' } }, 'application/zip': { schema: { format: 'binary' } } } });
    expect(Object.keys(download)).toEqual(expect.arrayContaining(['403', '404', '410']));
  });

  it('types every answer and states the rules on bodies and queries', () => {
    const schemaOf = (label: string) =>
      (operation(label).responses['200'] as { content: Record<string, { schema: object }> }).content['application/json'].schema;
    expect(schemaOf('GET /clients/{pseudonym}')).toEqual({ $ref: '#/components/schemas/ClientTransferResponse' });
    expect(schemaOf('GET /me/clients')).toEqual({ $ref: '#/components/schemas/ClientTransferPageResponse' });
    expect(schemaOf('GET /transitions/{transitionId}/clients/counts')).toEqual({ $ref: '#/components/schemas/ClientCountsResponse' });
    expect(schemaOf('POST /clients/{pseudonym}/informed')).toEqual({ $ref: '#/components/schemas/TransferStatusResponse' });
    expect(schemaOf('POST /transitions/{transitionId}/clients/bulk/end')).toEqual({ $ref: '#/components/schemas/BulkResponse' });
    expect(component('BulkInformClientDto').properties!.pseudonyms).toMatchObject({ type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true });
    expect(component('ErasePersonalDataDto').properties!.reason).toMatchObject({ minLength: 10, maxLength: 500 });
    expect(component('TransitionDetailResponse').properties!.clients).toBeDefined();
    expect(component('TransitionListItemResponse').properties!.clients).toBeDefined();
    const limit = (operation('GET /me/clients').parameters as ParameterObject[]).find((parameter) => parameter.name === 'limit')!;
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 500 });
  });
});

describe('the OpenAPI document of resident campaigns', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => ({ app, document } = await buildDocument()));
  afterAll(() => app?.close());

  const c = '/transitions/{transitionId}/campaigns/{campaignId}';
  const operation = (label: string) => operationsOf(document).find((candidate) => candidate.label === label)!.operation;
  const component = (name: string) => resolveSchema(document, { $ref: `#/components/schemas/${name}` })!;

  it('gives the print files and the sample letter as bytes, and their errors as JSON', () => {
    for (const [label, type] of [
      [`GET ${c}/preview.pdf`, 'application/pdf'],
      [`GET ${c}/batches/{batchNo}/letters.pdf`, 'application/pdf'],
      [`GET ${c}/batches/{batchNo}/manifest.csv`, 'text/csv'],
    ]) {
      const responses = operation(label).responses as Record<string, { content: Record<string, { schema: object }> }>;
      expect(Object.keys(responses['200'].content)).toEqual([type]);
      for (const status of ['400', '401', '403', '404']) {
        expect(responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
      }
    }
    expect((operation(`GET ${c}/batches/{batchNo}/letters.pdf`).parameters as ParameterObject[]).find((p) => p.name === 'batchNo')!.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
    });
  });

  it('types every answer and states the rules on bodies', () => {
    const schemaOf = (label: string, status = '200') =>
      (operation(label).responses[status] as { content: Record<string, { schema: object }> }).content['application/json'].schema;
    expect(schemaOf('POST /transitions/{transitionId}/campaigns', '201')).toEqual({ $ref: '#/components/schemas/CampaignProgressResponse' });
    for (const command of ['approve', 'pause', 'resume', 'cancel']) {
      expect(schemaOf(`POST ${c}/${command}`)).toEqual({ $ref: '#/components/schemas/CampaignProgressResponse' });
    }
    expect(schemaOf(`GET ${c}/preview`)).toEqual({ $ref: '#/components/schemas/CampaignPreviewResponse' });
    for (const schema of ['CreateCampaignDto', 'EditCampaignDto']) {
      expect(component(schema).properties!.deadline).toMatchObject({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
    }
    expect(component('CampaignFieldsDto').properties!.whereToAsk).toMatchObject({ pattern: ACCEPTABLE_TEXT_PATTERN.source, maxLength: 300 });
    expect(component('CampaignFieldsDto').properties!.whatChanges).toMatchObject({ items: { pattern: ACCEPTABLE_TEXT_PATTERN.source } });
    expect(component('ApproveCampaignDto').properties!.expectedVersion).toMatchObject({ type: 'integer', minimum: 1 });
    for (const schema of ['CreateCampaignDto', 'EditCampaignDto', 'ApproveCampaignDto']) expect(component(schema).additionalProperties).toBe(false);
  });
});

describe('the free-text pattern of the document', () => {
  it.each([
    ['plain text', 'Held at the district office', true],
    ['tab and line feed', 'one\ttwo\nthree', true],
    ['CR LF', 'one\r\ntwo', true],
    ['accents and emoji', 'Café 😀', true],
    ['a lone CR', 'one\rtwo', false],
    ['NUL', 'a\u0000b', false],
    ['another C0 control', 'a\u001bb', false],
    ['DEL', 'a\u007fb', false],
    ['a C1 control', 'a\u0085b', false],
  ])('agrees with the pipe on %s', (_case, text, acceptable) => {
    expect(ACCEPTABLE_TEXT_PATTERN.test(text)).toBe(acceptable);
    expect(textProblem(text) === null).toBe(acceptable);
  });
});

describe('the example go-live date', () => {
  it.each([
    ['2026-11-30', '2027-06-01'],
    ['2025-11-01', '2026-06-01'],
    ['2026-03-01', '2027-06-01'],
  ])('on %s is %s: a 1 June at least half a year ahead', (today, expected) => {
    expect(exampleGoLiveDateOn(today)).toBe(expected);
  });
});
