import { CreateTransitionSummaries1763870000000 } from './1763870000000-create-transition-summaries';

/** Every migration, oldest first. */
export const migrations = [CreateTransitionSummaries1763870000000];
