import { Readable } from 'node:stream';
import { MAX_RECORD_CHARS, SourceRecord, readRecords } from './record-reader';

/** Feeds `text` in pieces of `size` characters, so that records cross chunk boundaries. */
async function records(text: string, size = 3): Promise<SourceRecord[]> {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  const out: SourceRecord[] = [];
  for await (const record of readRecords(Readable.from(pieces))) out.push(record);
  return out;
}

describe('readRecords', () => {
  describe('one document per line', () => {
    it('numbers lines from 1, skipping blank lines and stripping CR', async () => {
      expect(await records('{"a":1}\r\n\n  \n{"b":2}\n{"c":3}')).toEqual([
        { line: 1, text: '{"a":1}' },
        { line: 4, text: '{"b":2}' },
        { line: 5, text: '{"c":3}' },
      ]);
    });

    it('counts leading blank lines and skips a byte order mark', async () => {
      expect(await records('\uFEFF\n\n{"a":1}\n')).toEqual([{ line: 3, text: '{"a":1}' }]);
    });

    it('passes broken lines through for the parser to reject', async () => {
      expect(await records('{"a":\n42\n')).toEqual([
        { line: 1, text: '{"a":' },
        { line: 2, text: '42' },
      ]);
    });

    it('reports a line longer than 16 MiB without keeping it, and goes on', async () => {
      const long = `{"a":"${'x'.repeat(MAX_RECORD_CHARS)}"}`;
      expect(await records(`${long}\n{"b":2}\n`, 1024 * 1024)).toEqual([
        { line: 1, problem: 'line longer than 16 MiB' },
        { line: 2, text: '{"b":2}' },
      ]);
    });

    it('decodes multi-byte characters split across byte chunks', async () => {
      const bytes = Buffer.from('{"t":"naïve 🐍"}\n');
      const out: SourceRecord[] = [];
      for await (const record of readRecords(Readable.from([...bytes].map((byte) => Buffer.from([byte])))))
        out.push(record);
      expect(out).toEqual([{ line: 1, text: '{"t":"naïve 🐍"}' }]);
    });
  });

  describe('a JSON array', () => {
    it('yields each element with the line it starts on', async () => {
      const text = '[\n  {"a": "x, ]}"},\n  {"b": [1, {"c": "\\"]"}]}\n, 7, "s"\n]\n';
      expect(await records(text)).toEqual([
        { line: 2, text: '{"a": "x, ]}"}' },
        { line: 3, text: '{"b": [1, {"c": "\\"]"}]}' },
        { line: 4, text: '7' },
        { line: 4, text: '"s"' },
      ]);
    });

    it('reads an empty array as nothing', async () => {
      expect(await records('  []  ')).toEqual([]);
    });

    it('reports empty elements, a missing ] and text after the array', async () => {
      expect(await records('[{"a":1},,\n{"b":2},\n]')).toEqual([
        { line: 1, text: '{"a":1}' },
        { line: 1, problem: 'empty array element' },
        { line: 2, text: '{"b":2}' },
        { line: 3, problem: 'empty array element' },
      ]);
      expect(await records('[{"a":1},\n{"b":2}\n')).toEqual([
        { line: 1, text: '{"a":1}' },
        { line: 2, text: '{"b":2}' },
        { line: 3, problem: 'the array is not closed with ]' },
      ]);
      expect(await records('[{"a":1}]\n{"b":2}')).toEqual([
        { line: 1, text: '{"a":1}' },
        { line: 2, problem: 'unexpected text after the closing ] of the array' },
      ]);
    });

    it('reports an element cut off by the end of the input', async () => {
      expect(await records('[{"a":1},\n{"b": "trunc')).toEqual([
        { line: 1, text: '{"a":1}' },
        { line: 2, problem: 'the input ends inside this array element' },
      ]);
    });
  });
});
