import { Module } from '@nestjs/common';
import { TransitionsModule } from '../transitions/transitions.module';
import { MyTasksController } from './my-tasks.controller';
import { TaskProjection } from './task.projection';
import { TasksController } from './tasks.controller';

@Module({
  imports: [TransitionsModule],
  controllers: [TasksController, MyTasksController],
  providers: [TaskProjection],
})
export class TasksModule {}
