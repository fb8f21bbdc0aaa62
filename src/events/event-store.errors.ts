export class VersionConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion ?? 'unknown'}, not the expected ${expectedVersion}: ` +
        'someone else changed it first',
    );
    this.name = 'VersionConflictError';
  }
}

/** Some, but not all, of a batch's event ids exist: the batch is not a repeat of an earlier one. */
export class EventIdReuseError extends Error {
  constructor(readonly eventIds: string[]) {
    super(`event ids already used by other appends: ${eventIds.join(', ')}`);
    this.name = 'EventIdReuseError';
  }
}
