import { INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { EventStoreExceptionFilter } from './events/event-store-exception.filter';
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
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Overdracht')
      .setDescription('Handover of neighbourhood welfare work between providers, district by district')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
}
