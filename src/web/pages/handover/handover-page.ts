import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { burnUpSvg } from '../../../forecast/burn-up-chart';
import { ForecastService } from '../../../forecast/forecast.service';
import { amsterdamToday } from '../../../time/amsterdam';
import { TransitionsService } from '../../../transitions/transitions.service';
import { readCacheOf, readKey } from '../../../database/read-cache';
import { pageLocals } from '../../page-locals';
import { sendPage } from '../../page-render';
import { HandoverReads } from './handover-reads';
import type { FieldRefusal } from './handover-refusals';
import { timelineLine } from './timeline-labels';

/** Timeline events per page. */
export const TIMELINE_PAGE_SIZE = 20;

/** A refusal of one of the page's forms, with what the user typed, so the form shows both. */
export type PageRefusal = FieldRefusal & { milestoneId?: string; taskId?: string; values?: { goLiveDate?: string; reason?: string } };

const OPEN_STATES = ['planned', 'preparing', 'ready'];

/** Renders a handover's page (`overdracht.njk`) from its read models: for the page itself, and again with a refusal after a form. */
@Injectable()
export class HandoverPage {
  constructor(
    private readonly transitions: TransitionsService,
    private readonly forecasts: ForecastService,
    private readonly reads: HandoverReads,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async render(
    request: Request,
    response: Response,
    user: AuthenticatedUser,
    transitionId: string,
    options: { older?: unknown; status?: number; refusal?: PageRefusal } = {},
  ) {
    const cursor = typeof options.older === 'string' && options.older !== '' ? options.older : undefined;
    const page = await this.page(transitionId, user, cursor);
    await sendPage(response, 'overdracht', pageLocals(request, user), options.refusal ? { ...page, refusal: options.refusal } : page, options.status ?? HttpStatus.OK);
  }

  /**
   * The page's content, its timeline at `cursor`: the same for everyone with the user's role who
   * may read the handover (checked here on every request), so remembered (ReadCache) until the
   * next commit, and rendered once (see sendPage).
   */
  private async page(transitionId: string, user: AuthenticatedUser, cursor: string | undefined, today = amsterdamToday()) {
    const detail = await this.transitions.detail(transitionId, user);
    const key = readKey('web.handover', transitionId, user.role, cursor ?? null, today);
    return readCacheOf(this.dataSource).read(key, async () => {
      const [forecast, timeline, extras] = await Promise.all([
        this.forecasts.forTransition(transitionId),
        this.transitions.timeline(transitionId, { cursor, limit: TIMELINE_PAGE_SIZE }, user),
        this.reads.extras(transitionId, detail.plan, this.organisationCodes(detail), user),
      ]);
      if (!forecast) throw new NotFoundException('the handover does not exist');
      const titles = {
        tasks: new Map(detail.tasks.map((task) => [task.id, task.title])),
        milestones: new Map(detail.milestones.map((milestone) => [milestone.id, milestone.title])),
      };
      const campaignStream = forecast.streams.find((stream) => stream.stream === 'campaign');
      const open = OPEN_STATES.includes(detail.state);
      return {
        detail,
        today,
        names: {
          district: extras.districtName,
          municipality: extras.nameOf(detail.plan.municipality),
          outgoing: extras.nameOf(detail.plan.outgoingProvider),
          incoming: extras.nameOf(detail.plan.incomingProvider),
        },
        tasks: detail.tasks.map((task) => ({
          ...task,
          assigneeName: extras.nameOf(task.assignee),
          overdue: task.status === 'open' && task.dueDate < today,
        })),
        funnel: extras.funnel,
        campaign: detail.campaign && { ...detail.campaign, percentDone: Math.round(detail.campaign.shareDone * 100), forecast: campaignStream },
        forecast,
        burnUp: burnUpSvg(forecast),
        timeline: { lines: timeline.items.map((event) => timelineLine(event, titles)), olderCursor: timeline.nextCursor },
        audit: extras.audit,
        mayAct: user.role === 'coordinator',
        beforeGoLive: open,
        waitsAtGate: extras.waitsAtGate && open,
        mayReopen: open || detail.state === 'live',
      };
    });
  }

  private organisationCodes(detail: { plan: { municipality: string; outgoingProvider: string; incomingProvider: string }; tasks: Array<{ assignee: string }> }) {
    const { plan } = detail;
    return [...new Set([plan.municipality, plan.outgoingProvider, plan.incomingProvider, ...detail.tasks.map((task) => task.assignee)])];
  }
}
