import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApplicationFailure,
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { CommandRejection } from '../../workflows/transition/definitions';

const statusOf: Record<string, new (message: string) => HttpException> = {
  [CommandRejection.notFound]: NotFoundException,
  [CommandRejection.forbidden]: ForbiddenException,
  [CommandRejection.conflict]: ConflictException,
  [CommandRejection.invalid]: BadRequestException,
  [CommandRejection.unavailable]: ServiceUnavailableException,
};

/**
 * The first release's workflow (runs of it may still be open) names the id a caller sent in
 * "task <id> does not exist in <transition>": answered as the current release words it.
 */
export function withoutEchoedIds(message: string): string {
  const unknown = /^(task|milestone) \S+ does not exist in \S+$/.exec(message);
  return unknown ? `the ${unknown[1]} does not exist in this handover` : message;
}

/** Temporal's words for an update no worker processed ("… rejected because it wasn't processed by worker …"). */
const NOT_PROCESSED = /wasn't processed by worker/i;

/** The caller's deadline passed before Temporal answered. */
export class CommandDeadlineExceeded extends Error {
  constructor() {
    super('the handover did not answer in time');
    this.name = 'CommandDeadlineExceeded';
  }
}

/**
 * gRPC UNAVAILABLE (the Temporal frontend is out of reach) and RESOURCE_EXHAUSTED (e.g. a
 * workflow's query buffer is full: too many queries, no worker answering them), on the error or
 * its cause (a query's error wraps the gRPC error).
 */
const GRPC_UNAVAILABLE = 14;
const GRPC_RESOURCE_EXHAUSTED = 8;
function isGrpcUnavailable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause) && (cause.code === GRPC_UNAVAILABLE || cause.code === GRPC_RESOURCE_EXHAUSTED)) return true;
  }
  return false;
}

/**
 * A command's outcome as HTTP: a rejection by the workflow (nothing recorded) becomes its 4xx,
 * a store out of reach 503; a caller's deadline passed, or Temporal out of reach, is 503 too.
 * `subject` names the workflow in the answers that come from Temporal itself (`the transfer`).
 */
export async function translateCommandErrors<T>(call: () => Promise<T>, subject = 'the handover'): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure =
      error instanceof WorkflowUpdateFailedError || error instanceof WorkflowFailedError ? error.cause : undefined;
    if (failure instanceof ApplicationFailure) {
      const status = statusOf[failure.type ?? ''];
      if (status) throw new status(withoutEchoedIds(failure.message));
    }
    // The server gave the update to a worker that did not get to it (its workflow was evicted
    // from the sticky cache, or its task failed): nothing is recorded, and it may be sent again.
    if (error instanceof WorkflowUpdateFailedError && NOT_PROCESSED.test(`${error.message} ${failure?.message ?? ''}`)) {
      throw new ServiceUnavailableException(`${subject} did not take the command in time; try again`);
    }
    if (error instanceof WorkflowNotFoundError) {
      if (/completed/i.test(error.message)) throw new ConflictException(`${subject} has ended`);
      throw new NotFoundException(`${subject} does not exist`);
    }
    if (
      error instanceof CommandDeadlineExceeded ||
      error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
      isGrpcDeadlineError(error) ||
      isGrpcCancelledError(error) ||
      isGrpcUnavailable(error)
    ) {
      throw new ServiceUnavailableException(`${subject} did not answer in time; try again (a repeat of a command that did go through is refused with 409)`);
    }
    throw error;
  }
}
