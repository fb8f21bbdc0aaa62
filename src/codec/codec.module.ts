import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller';
import { CodecService } from './codec.service';

/** The codec endpoint for the Temporal Web UI (see README, "Temporal Web UI: decoded payloads"). */
@Module({
  controllers: [CodecController],
  providers: [CodecService],
})
export class CodecModule {}
