import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  approveCampaignUpdate,
  cancelCampaignUpdate,
  editCampaignUpdate,
  handLetterBatchToPrintUpdate,
  markLetterBatchPostedUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
} from '../../workflows/campaign/definitions';
import { correlationIdFrom } from '../audit/request-context';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/auth.types';
import { ApiErrors, AUTHENTICATED, COMMAND } from '../openapi/api-errors';
import { ReasonDto } from '../transitions/dto/transition-commands.dto';
import { TransitionIdParam } from '../transitions/dto/transition-id.param';
import { ApproveCampaignDto, CampaignParams, CreateCampaignDto, EditCampaignDto, LetterBatchParams } from './campaign.dto';
import { CampaignListItemResponse, CampaignPreviewResponse, CampaignProgressResponse } from './campaign.response';
import { CampaignProgressReader } from './campaign-progress';
import { CampaignService } from './campaign.service';
import { CampaignPreviews } from './campaign-previews';

const BINARY = { schema: { type: 'string', format: 'binary' } } as const;
const READ_ERRORS = [400, 403, 404, ...AUTHENTICATED] as const;
const WHO = "Not the coordinator of the handover's municipality";

/** A handover's resident campaign: the coordinator's commands and reads. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('transitions/:transitionId/campaigns')
export class CampaignController {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly reader: CampaignProgressReader,
    private readonly previews: CampaignPreviews,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create the resident campaign of a handover, as a draft',
    description: 'The district and go-live come from the handover. One campaign at a time: a new one once the last is cancelled.',
  })
  @ApiHeader({
    name: 'x-correlation-id',
    required: false,
    description: "Optional: a UUID that ties the campaign's events to your own records; anything else is ignored and a new one is made",
    schema: { type: 'string', example: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  })
  @ApiCreatedResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 409: 'The handover has a campaign already, or is live, closed or cancelled' })
  async create(
    @Param() { transitionId }: TransitionIdParam,
    @Body() dto: CreateCampaignDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('x-correlation-id') correlationHeader?: string,
  ) {
    const status = await this.campaigns.create(transitionId, dto, user, correlationIdFrom(correlationHeader));
    return this.reader.progress(transitionId, status.campaignId);
  }

  @Get()
  @ApiOperation({ summary: "The handover's campaigns, oldest first" })
  @ApiOkResponse({ type: [CampaignListItemResponse] })
  @ApiErrors([...READ_ERRORS], { 403: WHO })
  async list(@Param() { transitionId }: TransitionIdParam, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.handoverFor(transitionId, user);
    return this.reader.list(transitionId);
  }

  @Get(':campaignId')
  @ApiOperation({ summary: "A campaign's progress: counts per channel and state, rate, projected finish, deadline, print files" })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors([...READ_ERRORS], { 403: WHO })
  async progress(@Param() { transitionId, campaignId }: CampaignParams, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.campaignFor(transitionId, campaignId, user);
    return this.reader.progress(transitionId, campaignId);
  }

  @Patch(':campaignId')
  @ApiOperation({ summary: 'Edit a draft: its message fields or deadline (an approved campaign cannot be edited, only cancelled and replaced)' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 409: 'The campaign is approved or cancelled' })
  async edit(@Param() { transitionId, campaignId }: CampaignParams, @Body() dto: EditCampaignDto, @CurrentUser() user: AuthenticatedUser) {
    const changes = await this.campaigns.editFields(transitionId, dto.fields, dto.deadline, user);
    await this.campaigns.command(transitionId, campaignId, user, editCampaignUpdate, changes);
    return this.reader.progress(transitionId, campaignId);
  }

  @Post(':campaignId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the message as it stands: its recipients are frozen and sending starts' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 400: 'A merge field is missing, or a field breaks a rule', 403: WHO, 409: 'Not a draft, or edited since the version you read' })
  async approve(@Param() { transitionId, campaignId }: CampaignParams, @Body() dto: ApproveCampaignDto, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.command(transitionId, campaignId, user, approveCampaignUpdate, { expectedVersion: dto.expectedVersion });
    return this.reader.progress(transitionId, campaignId);
  }

  @Post(':campaignId/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause sending (the page in flight finishes)' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 409: 'The campaign is not sending' })
  async pause(@Param() { transitionId, campaignId }: CampaignParams, @Body() dto: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.command(transitionId, campaignId, user, pauseCampaignUpdate, { reason: dto.reason });
    return this.reader.progress(transitionId, campaignId);
  }

  @Post(':campaignId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused campaign' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 409: 'The campaign is not paused' })
  async resume(@Param() { transitionId, campaignId }: CampaignParams, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.command(transitionId, campaignId, user, resumeCampaignUpdate, {});
    return this.reader.progress(transitionId, campaignId);
  }

  @Post(':campaignId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the campaign (the page in flight finishes); a new one may then be created' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 409: 'The campaign is completed or cancelled already' })
  async cancel(@Param() { transitionId, campaignId }: CampaignParams, @Body() dto: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.command(transitionId, campaignId, user, cancelCampaignUpdate, { reason: dto.reason });
    return this.reader.progress(transitionId, campaignId);
  }

  @Get(':campaignId/preview')
  @ApiOperation({ summary: 'The e-mail as a sample recipient gets it, and where the sample letter is' })
  @ApiOkResponse({ type: CampaignPreviewResponse })
  @ApiErrors([...READ_ERRORS], { 403: WHO })
  async preview(@Param() { transitionId, campaignId }: CampaignParams, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.campaignFor(transitionId, campaignId, user);
    return this.previews.email(transitionId, campaignId);
  }

  @Get(':campaignId/preview.pdf')
  @ApiOperation({ summary: 'The letter for a sample address, as a PDF' })
  @ApiOkResponse({ description: 'A one-letter PDF', content: { 'application/pdf': BINARY } })
  @ApiErrors([...READ_ERRORS], { 403: WHO })
  async previewPdf(@Param() { transitionId, campaignId }: CampaignParams, @CurrentUser() user: AuthenticatedUser, @Res() response: Response) {
    await this.campaigns.campaignFor(transitionId, campaignId, user);
    const pdf = await this.previews.letter(transitionId, campaignId);
    send(response, 'application/pdf', `voorbeeldbrief-${campaignId}.pdf`, pdf);
  }

  @Get(':campaignId/batches/:batchNo/letters.pdf')
  @ApiOperation({ summary: 'A print file: up to 1,000 letters, A4, sorted by postcode and house number' })
  @ApiOkResponse({ description: 'The print file as rendered (its SHA-256 is in the audit trail)', content: { 'application/pdf': BINARY } })
  @ApiErrors([...READ_ERRORS], { 403: WHO, 404: 'No such handover, campaign or print file' })
  async letters(@Param() { transitionId, campaignId, batchNo }: LetterBatchParams, @CurrentUser() user: AuthenticatedUser, @Res() response: Response) {
    await this.campaigns.campaignFor(transitionId, campaignId, user);
    const pdf = await this.previews.batchFile(campaignId, batchNo, 'pdf');
    send(response, 'application/pdf', `brieven-${batchNo}.pdf`, pdf);
  }

  @Get(':campaignId/batches/:batchNo/manifest.csv')
  @ApiOperation({ summary: "A print file's manifest: one row per letter (for Excel: `;`, UTF-8 with BOM)" })
  @ApiOkResponse({ description: 'The manifest', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors([...READ_ERRORS], { 403: WHO, 404: 'No such handover, campaign or print file' })
  async manifest(@Param() { transitionId, campaignId, batchNo }: LetterBatchParams, @CurrentUser() user: AuthenticatedUser, @Res() response: Response) {
    await this.campaigns.campaignFor(transitionId, campaignId, user);
    const manifest = await this.previews.batchFile(campaignId, batchNo, 'manifest');
    send(response, 'text/csv; charset=utf-8', `manifest-${batchNo}.csv`, manifest);
  }

  @Post(':campaignId/batches/:batchNo/handed-to-print')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a print file handed to the print shop' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 404: 'No such handover, campaign or print file', 409: 'Handed to print already' })
  async handedToPrint(@Param() { transitionId, campaignId, batchNo }: LetterBatchParams, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.command(transitionId, campaignId, user, handLetterBatchToPrintUpdate, { batchNo });
    return this.reader.progress(transitionId, campaignId);
  }

  @Post(':campaignId/batches/:batchNo/posted')
  @HttpCode(200)
  @ApiOperation({ summary: "Mark a print file's letters posted" })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors(COMMAND, { 403: WHO, 404: 'No such handover, campaign or print file', 409: 'Not handed to print yet, or posted already' })
  async posted(@Param() { transitionId, campaignId, batchNo }: LetterBatchParams, @CurrentUser() user: AuthenticatedUser) {
    await this.campaigns.command(transitionId, campaignId, user, markLetterBatchPostedUpdate, { batchNo });
    return this.reader.progress(transitionId, campaignId);
  }
}

function send(response: Response, type: string, filename: string, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.status(200).type(type).setHeader('Content-Disposition', `attachment; filename="${filename}"`).setHeader('Content-Length', String(bytes.length)).end(bytes);
}
