import { Module } from '@nestjs/common';
import { RoutesModule } from '../routes/routes.module';
import { AdminTokenGuard } from './admin-token.guard';
import { AuditController } from './audit.controller';
import { RoutesController } from './routes.controller';

@Module({ imports: [RoutesModule], controllers: [RoutesController, AuditController], providers: [AdminTokenGuard] })
export class AdminModule {}
