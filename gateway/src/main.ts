import { bootstrapGateway } from './start-gateway';

void bootstrapGateway();
