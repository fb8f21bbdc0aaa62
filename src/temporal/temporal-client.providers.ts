import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';
import { TEMPORAL_CLIENT_CONNECTION } from './temporal.tokens';

/** Closes the client connection when the application shuts down. */
@Injectable()
export class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

export const temporalClientProviders: Provider[] = [
  {
    provide: TEMPORAL_CLIENT_CONNECTION,
    inject: [ConfigService],
    useFactory: (config: ConfigService) =>
      Connection.connect({ address: config.getOrThrow<string>('TEMPORAL_ADDRESS') }),
  },
  {
    provide: Client,
    inject: [TEMPORAL_CLIENT_CONNECTION, ConfigService],
    useFactory: (connection: Connection, config: ConfigService) =>
      new Client({ connection, namespace: config.getOrThrow<string>('TEMPORAL_NAMESPACE') }),
  },
  TemporalConnectionCloser,
];
