import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type OrganisationKind = 'municipality' | 'provider';

/** Municipalities, their districts and providers (with consortia), as registered. */
@Injectable()
export class OrganisationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async kindOf(code: string): Promise<OrganisationKind | undefined> {
    const [row] = await this.dataSource.query('SELECT kind FROM organisations WHERE code = $1', [code]);
    return row?.kind;
  }

  async hasDistrict(municipality: string, district: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM districts WHERE municipality = $1 AND code = $2', [
      municipality,
      district,
    ]);
    return rows.length > 0;
  }
}
