import { MicroserviceName, isMicroserviceName } from '@app/registry';

/** The extracted services reachable over the transport: the registry's microservices. */
export type ServiceName = MicroserviceName;
export const isServiceName = isMicroserviceName;
