import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import { respectfulRetryInterceptor } from './grpc-retry';
import { TEMPORAL_CLIENT_CONNECTION, TEMPORAL_DATA_CONVERTER } from './temporal.tokens';
import { cancelRunningTemporalCalls } from './within-deadline';

/**
 * Closes the client connection when the application shuts down (after the worker has stopped,
 * see TemporalWorkerService.beforeApplicationShutdown), once no call made through it is left
 * running: a call in the client's retry back-off would wake up on the closed channel and crash
 * the process.
 */
@Injectable()
export class TemporalConnectionCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('TemporalConnection');

  constructor(@Inject(TEMPORAL_CLIENT_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    const cancelled = await cancelRunningTemporalCalls();
    if (cancelled > 0) this.logger.log(`${cancelled} Temporal call(s) cancelled before the connection closed`);
    await this.connection.close();
  }
}

export const temporalClientProviders: Provider[] = [
  {
    provide: TEMPORAL_CLIENT_CONNECTION,
    inject: [ConfigService],
    useFactory: (config: ConfigService) =>
      // Our retry interceptor: the SDK's policy, but a cancel or the deadline ends a call in retry too.
      Connection.connect({ address: config.getOrThrow<string>('TEMPORAL_ADDRESS'), interceptors: [respectfulRetryInterceptor()] }),
  },
  {
    provide: TEMPORAL_DATA_CONVERTER,
    inject: [ConfigService],
    useFactory: (config: ConfigService): DataConverter => ({
      payloadCodecs: [new EncryptionCodec(Buffer.from(config.getOrThrow<string>('PAYLOAD_ENCRYPTION_KEY'), 'base64'))],
    }),
  },
  {
    provide: Client,
    inject: [TEMPORAL_CLIENT_CONNECTION, ConfigService, TEMPORAL_DATA_CONVERTER],
    useFactory: (connection: Connection, config: ConfigService, dataConverter: DataConverter) =>
      new Client({ connection, namespace: config.getOrThrow<string>('TEMPORAL_NAMESPACE'), dataConverter }),
  },
  TemporalConnectionCloser,
];
