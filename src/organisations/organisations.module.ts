import { Global, Module } from '@nestjs/common';
import { OrganisationsService } from './organisations.service';

@Global()
@Module({ providers: [OrganisationsService], exports: [OrganisationsService] })
export class OrganisationsModule {}
