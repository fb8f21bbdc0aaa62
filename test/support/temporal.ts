import { TestWorkflowEnvironment } from '@temporalio/testing';

function binary(variable: 'TEMPORAL_CLI' | 'TEMPORAL_TEST_SERVER'): string {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is set by the jest global setup`);
  return path;
}

/** A real Temporal dev server (the CLI's), on free ports, for this test file. */
export function startTemporalDevServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: binary('TEMPORAL_CLI') } },
  });
}

/** The time-skipping test server, for workflows that wait days or months. */
export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: binary('TEMPORAL_TEST_SERVER') } },
  });
}
