import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { validateEnvironment } from './config/environment';
import { nestLoggerParams } from './config/logger';
import { dataSourceOptions, migrateDatabase } from './database/data-source';
import { EventsModule } from './events/events.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClientsModule } from './clients/clients.module';
import { CodecModule } from './codec/codec.module';
import { DemoModule } from './demo/demo.module';
import { ForecastModule } from './forecast/forecast.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { HealthModule } from './health/health.module';
import { HttpEdgesModule } from './http/failed-auth';
import { ClientImportModule } from './clients/import/client-import.module';
import { TasksModule } from './tasks/tasks.module';
import { TemporalModule } from './temporal/temporal.module';
import { TransitionsModule } from './transitions/transitions.module';
import { WebModule } from './web/web.module';

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
          useFactory: async (config: ConfigService) => {
            const url = config.getOrThrow<string>('DATABASE_URL');
            await migrateDatabase(config.get<string>('DATABASE_MIGRATION_URL') ?? url);
            return dataSourceOptions(url, { asAppRole: true });
          },
        }),
        EventsModule,
        // Before AuthModule: its guard (a client blocked after failed authentications) runs first.
        ...(http ? [HttpEdgesModule] : []),
        AuthModule,
        OrganisationsModule,
        TemporalModule.forRoot({ runWorker }),
        TransitionsModule,
        TasksModule,
        ClientImportModule,
        ClientsModule,
        CampaignsModule,
        ForecastModule.forRoot({ scheduleCheck: runWorker }),
        NotificationsModule,
        DemoModule,
        ...(http ? [HealthModule, AuditModule, WebModule, CodecModule] : []),
      ],
    };
  }
}
