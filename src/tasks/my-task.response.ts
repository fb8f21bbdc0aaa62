import { ApiProperty } from '@nestjs/swagger';
import { NextCursor } from '../paging/page.response';
import { CODE } from '../organisations/codes';
import { ASSIGNEE_ROLES } from '../transitions/dto/transition-status.response';
import { DATE_PATTERN } from '../transitions/dto/transition-validators';
import { TRANSITION_ID_PATTERN } from '../transitions/transition-id';

/** A row of `GET /me/tasks`: a task of a handover, assigned to your organisation or its consortium. */
export class MyTaskResponse {
  @ApiProperty({ pattern: TRANSITION_ID_PATTERN.source, example: 'rotterdam.feijenoord.2027-06-01' })
  transitionId: string;

  @ApiProperty({ pattern: CODE.source, example: 'client-files' })
  taskId: string;

  @ApiProperty({ example: "Transfer client files, with each client's consent" })
  title: string;

  @ApiProperty({ pattern: CODE.source, example: 'welzijn-maas' })
  assignee: string;

  @ApiProperty({ enum: ASSIGNEE_ROLES })
  assigneeRole: (typeof ASSIGNEE_ROLES)[number];

  @ApiProperty({ format: 'date', pattern: DATE_PATTERN.source })
  dueDate: string;

  @ApiProperty({ enum: ['open', 'done'] })
  status: 'open' | 'done';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ description: 'Open and past its due date (Europe/Amsterdam)' })
  overdue: boolean;
}

/** `GET /me/tasks`: a page of your tasks. */
export class MyTaskPageResponse {
  @ApiProperty({ type: () => [MyTaskResponse] })
  items: MyTaskResponse[];

  @NextCursor()
  nextCursor: string | null;
}
