import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { measure, WORKLOADS } from './workload';

/**
 * One workload against @event-driven-io/emmett-postgresql, in a process of its own: emmett
 * changes node-postgres's global type parsers, which must not touch the other contenders.
 * Prints `{"rate": events per second}`.
 */
async function main(): Promise<void> {
  const [url, workloadName] = process.argv.slice(2);
  const workload = WORKLOADS.find((w) => w.name === workloadName)!;
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  try {
    const rate = await measure(workload, 'emmett', (streamId, events) =>
      store.appendToStream(
        streamId,
        events.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata })),
      ),
    );
    process.stdout.write(JSON.stringify({ rate }) + '\n');
  } finally {
    await store.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
