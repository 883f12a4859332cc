import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

function parse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
    head,
    body: end === -1 ? '' : text.slice(end + 4),
  };
}

/**
 * Writes `chunks` to a fresh connection as they are, pausing `gapMs` between
 * them, and returns what came back once the server closes or `waitMs` passes.
 * For request shapes an HTTP client would not send: absolute-form and
 * asterisk-form lines, bodies cut short or sent slowly.
 */
export function rawExchange(
  url: string,
  chunks: string[],
  options: { gapMs?: number; waitMs?: number; abortAfterWrite?: boolean } = {},
): Promise<RawResponse> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(received).toString('utf8')));
    };
    socket.on('data', (data) => received.push(data));
    socket.on('close', done);
    socket.on('error', (error) => (received.length ? done() : reject(error)));
    socket.on('connect', async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (index > 0 && options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
        socket.write(chunk);
      }
      if (options.abortAfterWrite) return done();
      timer = setTimeout(done, options.waitMs ?? 5_000);
    });
  });
}
