import { Module } from '@nestjs/common';
import { ServiceKitModule } from '@app/transport';
import { RecommendationsConfig } from './recommendations.config';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';

@Module({
  imports: [ServiceKitModule.forService('recommendations', RecommendationsConfig)],
  controllers: [RecommendationsController],
  providers: [RecommendationsRepository, RecommendationsService],
})
export class RecommendationsModule {}
