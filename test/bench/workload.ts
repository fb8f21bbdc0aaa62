import { randomUUID } from 'node:crypto';

export interface Workload {
  name: string;
  writers: number;
  batchSize: number;
  /** Appends each writer makes, one after the other, to a stream of its own. */
  appendsPerWriter: number;
}

export const WORKLOADS: Workload[] = [
  { name: 'single events, 1 writer', writers: 1, batchSize: 1, appendsPerWriter: 1500 },
  { name: 'single events, 8 writers', writers: 8, batchSize: 1, appendsPerWriter: 400 },
  { name: '100-event batches, 1 writer', writers: 1, batchSize: 100, appendsPerWriter: 60 },
  { name: '100-event batches, 8 writers', writers: 8, batchSize: 100, appendsPerWriter: 20 },
];

export interface BenchEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A realistic handover event: codes and dates, about 300 bytes with its metadata. */
export function benchEvent(writer: number, n: number): BenchEvent {
  return {
    eventId: randomUUID(),
    type: 'TaskCompleted',
    data: {
      transitionId: `rotterdam.district-${writer}.2027-06-01`,
      taskId: `task-${n}`,
      completedBy: 'buurtkracht',
      note: 'Client files handed over to the incoming provider',
      completedAt: new Date(1_800_000_000_000 + n * 1000).toISOString(),
    },
    metadata: {
      actor: { user: `user-${writer}`, organisation: 'buurtkracht', role: 'provider' },
      correlationId: randomUUID(),
      causationId: null,
    },
  };
}

export type Append = (streamId: string, events: BenchEvent[]) => Promise<unknown>;

/** Runs the workload with `append`; returns events appended per second. */
export async function measure(workload: Workload, label: string, append: Append): Promise<number> {
  const run = randomUUID().slice(0, 8);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workload.writers }, async (_, writer) => {
      const streamId = `bench-${label}-${run}-${writer}`;
      for (let i = 0; i < workload.appendsPerWriter; i++) {
        const events = Array.from({ length: workload.batchSize }, (_, j) => benchEvent(writer, i * workload.batchSize + j));
        await append(streamId, events);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (workload.writers * workload.appendsPerWriter * workload.batchSize) / seconds;
}
