import { ServiceUnavailableException } from '@nestjs/common';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { CommandDeadlineExceeded, translateCommandErrors } from '../../src/transitions/command-errors';

/** Temporal's failures that mean "not done, try again" are 503, never 500. */
describe('translateCommandErrors: transient failures are 503', () => {
  const answer = (error: Error) => translateCommandErrors(() => Promise.reject(error)).catch((caught) => caught);

  it('an update no worker processed (its workflow evicted under load): 503, nothing recorded', async () => {
    const rejected = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({ message: "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker." }),
    );
    const caught = await answer(rejected);
    expect(caught).toBeInstanceOf(ServiceUnavailableException);
    expect(caught.message).toMatch(/try again/);
  });

  it('the deadline passed', async () => {
    expect(await answer(new CommandDeadlineExceeded())).toBeInstanceOf(ServiceUnavailableException);
  });

  it('a query buffer that is full (gRPC RESOURCE_EXHAUSTED, wrapped as a query wraps it)', async () => {
    const grpc = Object.assign(new Error('8 RESOURCE_EXHAUSTED: consistent query buffer is full'), { code: 8, details: 'consistent query buffer is full', metadata: {} });
    const wrapped = Object.assign(new Error('Failed to query Workflow'), { cause: grpc });
    expect(await answer(wrapped)).toBeInstanceOf(ServiceUnavailableException);
  });

  it('anything else is not hidden', async () => {
    expect(await answer(new TypeError('a bug'))).toBeInstanceOf(TypeError);
  });
});
