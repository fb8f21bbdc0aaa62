import { INestApplication, ValidationPipe } from '@nestjs/common';
import { EventStoreExceptionFilter } from './events/event-store-exception.filter';
import { setupOpenApi } from './openapi/document';
import { RefuseControlCharactersPipe } from './validation/control-characters.pipe';

/** HTTP behaviour shared by the service and the end-to-end tests. */
export function configureHttp(app: INestApplication): void {
  app.useGlobalFilters(new EventStoreExceptionFilter(app.getHttpAdapter()));
  app.useGlobalPipes(
    // First: bad text in any body, query or path value is refused before a DTO sees it.
    new RefuseControlCharactersPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  setupOpenApi(app);
}
