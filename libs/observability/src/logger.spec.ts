import { Writable } from 'node:stream';
import pino from 'pino';
import { maskCredentials } from './logger';

describe('maskCredentials', () => {
  it.each([
    [
      'mongodb://alice:s3cr%40t@db.example:27017/reddit?authSource=admin',
      'mongodb://***@db.example:27017/reddit?authSource=admin',
    ],
    ['mongodb+srv://bob:pw@cluster0.example.net/x', 'mongodb+srv://***@cluster0.example.net/x'],
    [
      '{"err":"connect to amqp://guest:guest@127.0.0.1:5672 failed"}',
      '{"err":"connect to amqp://***@127.0.0.1:5672 failed"}',
    ],
  ])('hides the credentials in %s', (line, masked) => {
    expect(maskCredentials(line)).toBe(masked);
  });

  it('leaves URLs without credentials, and e-mail addresses, as they are', () => {
    const line = 'mongodb://127.0.0.1:27017/reddit by ann@example.com';
    expect(maskCredentials(line)).toBe(line);
  });

  it('applies to every line a logger writes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ hooks: { streamWrite: maskCredentials } }, sink);
    logger.error({ url: 'mongodb://root:hunter2@store:27017' }, 'store unreachable');
    expect(lines.join('')).not.toContain('hunter2');
    expect(lines.join('')).toContain('mongodb://***@store:27017');
  });
});
