import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { TransitionIdParam } from '../../transitions/dto/transition-id.param';

export class ClientImportParams extends TransitionIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'importId must be a UUID' })
  importId: string;
}

export class ClientImportProgressResponse {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ enum: ['running', 'finished'] }) state: 'running' | 'finished';
  @ApiProperty({ description: 'Clients in the file' }) clients: number;
  @ApiProperty({ description: 'Clients the handover did not know yet: a transfer starts for each' }) newClients: number;
  @ApiProperty({ description: 'Transfers started and listed so far' }) listed: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}
