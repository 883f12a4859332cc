import { Module } from '@nestjs/common';
import { SerialQueue, ServiceKitModule } from '@app/transport';
import { RecommendationsConfig } from './recommendations.config';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';

@Module({
  imports: [ServiceKitModule.forService('recommendations', RecommendationsConfig)],
  controllers: [RecommendationsController],
  // Deliveries and resets one at a time: the ranking and audience follow the store's order of writes.
  providers: [SerialQueue, RecommendationsRepository, RecommendationsService],
})
export class RecommendationsModule {}
