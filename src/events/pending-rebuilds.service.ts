import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Projector } from './projector.service';

/**
 * Rebuilds, once, the projections a migration asked for (`projection_rebuilds`): a new read
 * model over events stored before it existed. One process does it, under an advisory lock (the
 * others start without waiting); the request is removed only after the rebuild, so a process
 * killed half-way leaves it for the next start (a rebuild starts from scratch).
 */
@Injectable()
export class PendingRebuilds implements OnApplicationBootstrap {
  private readonly log = new Logger(PendingRebuilds.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projector: Projector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const requested: Array<{ projection: string }> = await this.dataSource.query('SELECT projection FROM projection_rebuilds');
    const names = new Set(requested.map((row) => row.projection));
    for (const projection of this.projector.projections()) {
      if (names.has(projection.name)) await this.rebuildOnce(projection.name, () => this.projector.rebuild(projection));
    }
  }

  private async rebuildOnce(name: string, rebuild: () => Promise<number>): Promise<void> {
    // A session-level lock on a connection of its own: no transaction (and no snapshot) held while rebuilding.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query("SELECT pg_try_advisory_lock(hashtext('projection_rebuilds'), hashtext($1)) AS locked", [name]);
      if (!locked) return;
      try {
        const [still] = await runner.query('SELECT 1 FROM projection_rebuilds WHERE projection = $1', [name]);
        if (!still) return;
        const events = await rebuild();
        await runner.query('DELETE FROM projection_rebuilds WHERE projection = $1', [name]);
        this.log.log(`Rebuilt ${name} from ${events} events`);
      } finally {
        await runner.query("SELECT pg_advisory_unlock(hashtext('projection_rebuilds'), hashtext($1))", [name]);
      }
    } finally {
      await runner.release();
    }
  }
}
