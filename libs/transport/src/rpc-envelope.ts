/** What travels on the wire: the payload plus the caller's request id. */
export interface RpcEnvelope<T = unknown> {
  data: T;
  meta: { requestId?: string };
}

export function isRpcEnvelope(value: unknown): value is RpcEnvelope {
  return typeof value === 'object' && value !== null && 'data' in value && 'meta' in value;
}
