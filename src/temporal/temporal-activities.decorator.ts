import { SetMetadata } from '@nestjs/common';

export const TEMPORAL_ACTIVITIES = Symbol('temporal-activities');

/** Marks a Nest provider whose public methods are registered as Temporal activities. */
export const TemporalActivities = () => SetMetadata(TEMPORAL_ACTIVITIES, true);
