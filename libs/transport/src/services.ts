/** The extracted services reachable over the transport, with their default ports. */
export const SERVICE_PORTS = {
  search: { http: 3101, tcp: 4101 },
  recommendations: { http: 3102, tcp: 4102 },
  tagging: { http: 3103, tcp: 4103 },
  engagement: { http: 3104, tcp: 4104 },
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return Object.prototype.hasOwnProperty.call(SERVICE_PORTS, name);
}
