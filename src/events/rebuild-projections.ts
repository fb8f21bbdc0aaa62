import 'reflect-metadata';
import { runTask } from '../bootstrap';
import { Projector } from './projector.service';

/**
 * `npm run projections:rebuild [-- name ...]`: rebuilds the named read models (all when none
 * is named) from the event store.
 */
void runTask('projections:rebuild', async (app, log) => {
  const projector = app.get(Projector);
  const known = projector.projections();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !known.some((projection) => projection.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown projection ${unknown.join(', ')}; known: ${known.map((p) => p.name).join(', ')}`);
  }
  for (const projection of known) {
    if (wanted.length > 0 && !wanted.includes(projection.name)) continue;
    const events = await projector.rebuild(projection);
    log.info(`Rebuilt ${projection.name} from ${events} events`);
  }
});
