import { Module } from '@nestjs/common';
import { TransitionsModule } from '../transitions/transitions.module';
import { DemoData } from './demo-data';

@Module({ imports: [TransitionsModule], providers: [DemoData], exports: [DemoData] })
export class DemoModule {}
