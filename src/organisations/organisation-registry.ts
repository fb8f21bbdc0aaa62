import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested, validateSync, ValidationError } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { CODE, codeMessage } from './codes';


class OrganisationEntry {
  @Matches(CODE, { message: codeMessage('code') })
  code: string;

  @IsString()
  @MaxLength(200)
  name: string;

  @IsIn(['municipality', 'provider'], { message: 'kind must be municipality or provider' })
  kind: 'municipality' | 'provider';

  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;
}

class ConsortiumMemberEntry {
  @Matches(CODE, { message: codeMessage('consortium') })
  consortium: string;

  @Matches(CODE, { message: codeMessage('member') })
  member: string;

  @IsIn(['main-contractor', 'member'], { message: 'role must be main-contractor or member' })
  role: 'main-contractor' | 'member';
}

class DistrictEntry {
  @Matches(CODE, { message: codeMessage('municipality') })
  municipality: string;

  @Matches(CODE, { message: codeMessage('code') })
  code: string;

  @IsString()
  @MaxLength(200)
  name: string;
}

/** Municipalities, providers (consortia with their members) and districts to register. */
export class OrganisationRegistry {
  @ValidateNested({ each: true })
  @Type(() => OrganisationEntry)
  organisations: OrganisationEntry[] = [];

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => ConsortiumMemberEntry)
  consortia: ConsortiumMemberEntry[] = [];

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => DistrictEntry)
  districts: DistrictEntry[] = [];
}

function describe(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const at = path ? `${path}.${error.property}` : error.property;
    return [
      ...Object.values(error.constraints ?? {}).map((message) => `${at}: ${message}`),
      ...describe(error.children ?? [], at),
    ];
  });
}

/** Reads and checks a registry; the error names every entry and field that is wrong. */
export function parseOrganisationRegistry(raw: unknown): OrganisationRegistry {
  const registry = plainToInstance(OrganisationRegistry, raw);
  const problems = describe(validateSync(registry, { forbidUnknownValues: false }));
  if (problems.length > 0) throw new Error(`invalid organisation registry:\n${problems.join('\n')}`);
  return registry;
}

/**
 * Registers what is not registered yet (existing codes are left as they are). Run it in one
 * transaction: a consortium or district naming an unknown organisation fails the whole import.
 */
export async function registerOrganisations(
  manager: EntityManager,
  registry: OrganisationRegistry,
  { demo = false } = {},
): Promise<{ organisations: number; consortiumMembers: number; districts: number }> {
  const counts = { organisations: 0, consortiumMembers: 0, districts: 0 };
  for (const org of registry.organisations) {
    const rows = await manager.query(
      `INSERT INTO organisations (code, name, kind, email, is_demo) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING code`,
      [org.code, org.name, org.kind, org.email ?? null, demo],
    );
    counts.organisations += rows.length;
  }
  for (const link of registry.consortia) {
    const rows = await manager.query(
      'INSERT INTO consortium_members VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING member',
      [link.consortium, link.member, link.role],
    );
    counts.consortiumMembers += rows.length;
  }
  for (const district of registry.districts) {
    const rows = await manager.query(
      'INSERT INTO districts VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING code',
      [district.municipality, district.code, district.name, demo],
    );
    counts.districts += rows.length;
  }
  return counts;
}
