import { BadRequestException, ConflictException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CommandRejection } from '../../workflows/transition.definitions';

const statusOf: Record<string, new (message: string) => HttpException> = {
  [CommandRejection.notFound]: NotFoundException,
  [CommandRejection.forbidden]: ForbiddenException,
  [CommandRejection.conflict]: ConflictException,
  [CommandRejection.invalid]: BadRequestException,
};

/** A command the workflow's validator rejected (nothing was recorded) becomes the matching 4xx. */
export async function translateCommandErrors<T>(transitionId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const status = statusOf[error.cause.type ?? ''];
      if (status) throw new status(error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      if (/completed/i.test(error.message)) throw new ConflictException(`transition ${transitionId} has ended`);
      throw new NotFoundException(`transition ${transitionId} does not exist`);
    }
    throw error;
  }
}
