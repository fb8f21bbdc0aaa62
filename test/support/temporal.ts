import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_VALUE_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

function binary(variable: 'TEMPORAL_CLI' | 'TEMPORAL_TEST_SERVER'): string {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is set by the jest global setup`);
  return path;
}

/**
 * A real Temporal dev server (the CLI's), on free ports, with our search attributes, for this
 * test file; with `uiPort`, its Web UI too, on 127.0.0.1.
 */
export function startTemporalDevServer(options: { uiPort?: number } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary('TEMPORAL_CLI') },
      searchAttributes: SEARCH_ATTRIBUTES,
      ...(options.uiPort ? { ip: '127.0.0.1', ui: true, uiPort: options.uiPort, extraArgs: ['--ui-disable-news-fetch'] } : {}),
    },
  });
}

/** The time-skipping test server, for workflows that wait days or months; our search attributes registered. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: binary('TEMPORAL_TEST_SERVER') } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type]]),
    ),
  });
  return env;
}
