import { CreateEventStore1763870000000 } from './1763870000000-create-event-store';
import { CreateTransitionSummaries1763880000000 } from './1763880000000-create-transition-summaries';

/** Every migration, oldest first. */
export const migrations = [CreateEventStore1763870000000, CreateTransitionSummaries1763880000000];
