import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './config/environment';
import { nestLoggerParams } from './config/logger';
import { dataSourceOptions, migrate } from './database/data-source';
import { HealthModule } from './health/health.module';
import { TemporalModule } from './temporal/temporal.module';
import { TransitionsModule } from './transitions/transitions.module';

export interface AppOptions {
  /** Serve HTTP (the API process) or only run the worker. */
  http: boolean;
  runWorker: boolean;
}

@Module({})
export class AppModule {
  static forRoot({ http, runWorker }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => nestLoggerParams(config.getOrThrow('LOG_LEVEL')),
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => dataSourceOptions(config.getOrThrow('DATABASE_URL')),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await migrate(dataSource);
            return dataSource;
          },
        }),
        TemporalModule.forRoot({ runWorker }),
        TransitionsModule,
        ...(http ? [HealthModule] : []),
      ],
    };
  }
}
