import type { IncomingMessage } from 'node:http';
import type { Answer } from '../delivery/json-diff';

/** Set on a request whose answer a shadow compares: the dispatcher hands it the answer once complete. */
export const ANSWER_TAP = Symbol('answer tap');

export type AnswerTap = (answer: Answer) => void;

export interface TappedRequest extends IncomingMessage {
  [ANSWER_TAP]?: AnswerTap;
}

/** Bytes of an answer a tap keeps; a longer answer is not compared. */
export const TAP_LIMIT_BYTES = 1024 * 1024;

/** Collects a streamed answer for the request's tap, beside the stream to the client; never delays it. */
export function tapStream(stream: IncomingMessage, status: number, tap: AnswerTap): void {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= TAP_LIMIT_BYTES) chunks.push(chunk);
  });
  stream.on('end', () => {
    if (size <= TAP_LIMIT_BYTES) tap({ status, body: Buffer.concat(chunks).toString('utf8') });
  });
}

/** Request headers a copy of the request carries: the client's own, without those about its connection. */
const NOT_COPIED = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-connection',
  'proxy-authorization',
  // The copy is compared as text, so it is asked for uncompressed.
  'accept-encoding',
]);

export function copiedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !NOT_COPIED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
