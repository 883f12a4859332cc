import { Module } from '@nestjs/common';
import { ServiceKitModule } from '@app/transport';
import { EngagementConfig } from './engagement.config';
import { EngagementController } from './engagement.controller';
import { EngagementRepository } from './engagement.repository';
import { EngagementService } from './engagement.service';

@Module({
  imports: [ServiceKitModule.forService('engagement', EngagementConfig)],
  controllers: [EngagementController],
  providers: [EngagementRepository, EngagementService],
})
export class EngagementModule {}
