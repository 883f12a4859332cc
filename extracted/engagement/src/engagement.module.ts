import { Module } from '@nestjs/common';
import { SerialQueue, ServiceKitModule } from '@app/transport';
import { EngagementConfig } from './engagement.config';
import { EngagementController } from './engagement.controller';
import { EngagementRepository } from './engagement.repository';
import { EngagementService } from './engagement.service';

@Module({
  imports: [ServiceKitModule.forService('engagement', EngagementConfig)],
  controllers: [EngagementController],
  // Own writes, deliveries and resets one at a time: the counts follow the store's order of writes.
  providers: [SerialQueue, EngagementRepository, EngagementService],
})
export class EngagementModule {}
