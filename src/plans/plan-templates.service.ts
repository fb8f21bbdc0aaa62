import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PlanTemplate } from './plan-template.types';

@Injectable()
export class PlanTemplatesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every template in its latest version. */
  async latestAll(): Promise<PlanTemplate[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (code) code, version, name, definition FROM plan_templates ORDER BY code, version DESC`,
    );
  }

  async latest(code: string): Promise<PlanTemplate | undefined> {
    const [template] = await this.dataSource.query(
      'SELECT code, version, name, definition FROM plan_templates WHERE code = $1 ORDER BY version DESC LIMIT 1',
      [code],
    );
    return template;
  }
}
