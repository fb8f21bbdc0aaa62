import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { addDays } from '../time/calendar';
import { AuthenticatedUser, Role } from '../auth/auth.types';
import { TokensService } from '../auth/tokens.service';
import { projectPath } from '../config/paths';
import { amsterdamToday } from '../time/amsterdam';
import { parseOrganisationRegistry, registerOrganisations } from '../organisations/organisation-registry';
import { TransitionsService } from '../transitions/transitions.service';
import { DEMO_CONSORTIA, DEMO_ORGANISATIONS, DEMO_PROGRAMMES, DEMO_USERS } from './demo-programmes';

/** Demo go-lives lie at least this far ahead, so every task has time left. */
const MIN_DAYS_AHEAD = 150;

/** Organisations, consortia and districts of the demo programmes (idempotent). */
export async function seedDemoOrganisations(manager: EntityManager): Promise<void> {
  const registry = parseOrganisationRegistry({
    organisations: DEMO_ORGANISATIONS,
    consortia: DEMO_CONSORTIA,
    districts: DEMO_PROGRAMMES.flatMap((programme) =>
      programme.districts.map(({ code, name }) => ({ municipality: programme.municipality, code, name })),
    ),
  });
  await registerOrganisations(manager, registry, { demo: true });
}

/** The first date with this month and day that lies at least MIN_DAYS_AHEAD days from today. */
export function nextGoLive({ month, day }: { month: number; day: number }, today = amsterdamToday()): string {
  const earliest = addDays(today, MIN_DAYS_AHEAD);
  for (let year = Number(today.slice(0, 4)); ; year++) {
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (date >= earliest) return date;
  }
}

export interface DemoSummary {
  seededNow: boolean;
  transitions: number;
  tokens: Record<string, string>;
}

/**
 * Demo data on the first start (DEMO_DATA=true): the Rotterdam and Enschede programmes as
 * running handovers, and a demo user per role and organisation. Their tokens are kept in
 * the git-ignored .data folder so every start can print them again.
 */
@Injectable()
export class DemoData {
  private readonly logger = new Logger(DemoData.name);
  private readonly tokensFile: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly transitions: TransitionsService,
    config: ConfigService,
  ) {
    this.tokensFile = projectPath(config.getOrThrow<string>('DEMO_TOKENS_FILE'));
  }

  async seedOnce(): Promise<DemoSummary> {
    const [seeded] = await this.dataSource.query('SELECT 1 FROM users WHERE is_demo LIMIT 1');
    if (seeded) {
      const tokens = existsSync(this.tokensFile) ? JSON.parse(readFileSync(this.tokensFile, 'utf8')) : {};
      // The demo handovers are those a demo user planned; others made since are not counted.
      const [{ count }] = await this.dataSource.query(
        `SELECT count(*)::int AS count FROM events
         WHERE type = 'TransitionPlanned' AND metadata->'actor'->>'user' IN (SELECT username FROM users WHERE is_demo)`,
      );
      return { seededNow: false, transitions: count, tokens };
    }
    this.logger.log('Seeding the demo programmes (Rotterdam, Enschede)');
    await this.dataSource.transaction((manager) => seedDemoOrganisations(manager));
    const tokens: Record<string, string> = {};
    const users: Record<string, AuthenticatedUser> = {};
    for (const user of DEMO_USERS) {
      const id = await this.tokens.createUser(user.username, user.role as Role, user.organisation, true);
      tokens[user.username] = await this.tokens.createToken(id, 'demo');
      users[user.username] = {
        id, username: user.username, role: user.role as Role, organisation: user.organisation, actingFor: [user.organisation],
      };
    }
    mkdirSync(dirname(this.tokensFile), { recursive: true });
    writeFileSync(this.tokensFile, JSON.stringify(tokens, null, 2), { mode: 0o600 });

    let transitions = 0;
    for (const programme of DEMO_PROGRAMMES) {
      const coordinator = users[`coordinator-${programme.municipality}`];
      const goLiveDate = nextGoLive(programme.goLive);
      for (const district of programme.districts) {
        await this.transitions.create(
          {
            municipality: programme.municipality,
            district: district.code,
            outgoingProvider: district.outgoing,
            incomingProvider: district.incoming,
            goLiveDate,
            template: district.outgoing === district.incoming ? 'continuation' : 'provider-change',
          },
          coordinator,
          randomUUID(),
        );
        transitions++;
      }
    }
    return { seededNow: true, transitions, tokens };
  }
}

export function demoLines(demo: DemoSummary): string[] {
  const tokens = Object.entries(demo.tokens);
  return [
    `  Demo data    ${demo.transitions} handovers (Rotterdam, Enschede)${demo.seededNow ? ', seeded now' : ''}`,
    ...(tokens.length > 0
      ? ['  Demo tokens  (use as: Authorization: Bearer <token>)', ...tokens.map(([user, token]) => `    ${user.padEnd(36)} ${token}`)]
      : ['  Demo tokens  not found (DEMO_TOKENS_FILE); create one with npm run token:create']),
  ];
}
