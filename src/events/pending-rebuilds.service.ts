import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Projector } from './projector.service';

/**
 * Rebuilds, once, the projections a migration asked for (`projection_rebuilds`): a new read
 * model over events stored before it existed. The process that takes the request does the work;
 * a failed rebuild puts the request back for the next start.
 */
@Injectable()
export class PendingRebuilds implements OnApplicationBootstrap {
  private readonly log = new Logger(PendingRebuilds.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projector: Projector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const projection of this.projector.projections()) {
      const taken: unknown[] = await this.dataSource.query(
        'WITH taken AS (DELETE FROM projection_rebuilds WHERE projection = $1 RETURNING projection) SELECT projection FROM taken',
        [projection.name],
      );
      if (taken.length === 0) continue;
      try {
        const events = await this.projector.rebuild(projection);
        this.log.log(`Rebuilt ${projection.name} from ${events} events`);
      } catch (error) {
        await this.dataSource.query('INSERT INTO projection_rebuilds (projection) VALUES ($1) ON CONFLICT DO NOTHING', [projection.name]);
        throw error;
      }
    }
  }
}
