import { StringDecoder } from 'node:string_decoder';

/** The text of one document and the line it starts on, or why a stretch of input holds none. */
export type SourceRecord = { line: number; text: string } | { line: number; problem: string };

/** Larger than any document the store accepts (16 MiB of BSON). */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

const TOO_LONG = `longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB`;

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

interface Splitter {
  push(chunk: string, out: SourceRecord[]): void;
  end(out: SourceRecord[]): void;
}

/** One document per line (mongoimport's default); blank lines are skipped. */
class LineSplitter implements Splitter {
  private pending = '';
  private tooLong = false;

  constructor(private line: number) {}

  push(chunk: string, out: SourceRecord[]): void {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      this.append(chunk.slice(start, newline));
      this.finishLine(out);
      start = newline + 1;
    }
    this.append(chunk.slice(start));
  }

  end(out: SourceRecord[]): void {
    this.finishLine(out);
  }

  private append(text: string): void {
    if (this.tooLong) return;
    if (this.pending.length + text.length > MAX_RECORD_CHARS) {
      this.tooLong = true;
      this.pending = '';
    } else {
      this.pending += text;
    }
  }

  private finishLine(out: SourceRecord[]): void {
    const text = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    if (this.tooLong) out.push({ line: this.line, problem: `line ${TOO_LONG}` });
    else if (text.trim() !== '') out.push({ line: this.line, text });
    this.pending = '';
    this.tooLong = false;
    this.line++;
  }
}

/**
 * A JSON array (mongoexport --jsonArray), cut into its elements without
 * parsing them: only brackets outside strings are counted, so memory stays
 * at one element whatever the size of the array.
 */
class ArraySplitter implements Splitter {
  private state: 'opening' | 'inside' | 'closed' | 'done' = 'opening';
  /** Brackets open inside the current element. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private size = 0;
  private started = false;
  private elementLine = 0;
  private elements = 0;
  private tooLong = false;

  constructor(private line: number) {}

  push(chunk: string, out: SourceRecord[]): void {
    let segment = 0;
    for (let i = 0; i < chunk.length && this.state !== 'done'; i++) {
      const code = chunk.charCodeAt(i);
      if (code === 0x0a) this.line++;
      if (this.state === 'opening') {
        // The splitter is created at the `[`.
        this.state = 'inside';
      } else if (this.state === 'closed') {
        if (!isSpace(code)) {
          out.push({ line: this.line, problem: 'unexpected text after the closing ] of the array' });
          this.state = 'done';
        }
      } else if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === 0x5c) this.escaped = true;
        else if (code === 0x22) this.inString = false;
      } else if (this.depth === 0 && (code === 0x2c || code === 0x5d)) {
        if (this.started) this.keep(chunk.slice(segment, i));
        this.finishElement(out, code === 0x5d);
        if (code === 0x5d) this.state = 'closed';
      } else if (this.started || !isSpace(code)) {
        if (!this.started) {
          this.started = true;
          this.elementLine = this.line;
          segment = i;
        }
        if (code === 0x22) this.inString = true;
        else if (code === 0x7b || code === 0x5b) this.depth++;
        else if ((code === 0x7d || code === 0x5d) && this.depth > 0) this.depth--;
      }
    }
    if (this.started) this.keep(chunk.slice(segment));
  }

  end(out: SourceRecord[]): void {
    if (this.state !== 'inside') return;
    if (this.started && (this.depth > 0 || this.inString)) {
      out.push({ line: this.elementLine, problem: 'the input ends inside this array element' });
      return;
    }
    if (this.started) this.finishElement(out, false);
    out.push({ line: this.line, problem: 'the array is not closed with ]' });
  }

  private keep(text: string): void {
    if (this.tooLong) return;
    this.size += text.length;
    if (this.size > MAX_RECORD_CHARS) {
      this.tooLong = true;
      this.parts = [];
    } else {
      this.parts.push(text);
    }
  }

  /** Ends the element before a `,` or the closing `]`; `[]` is an empty array, `[1,]` has an empty element. */
  private finishElement(out: SourceRecord[], closing: boolean): void {
    if (this.tooLong) out.push({ line: this.elementLine, problem: `array element ${TOO_LONG}` });
    else if (this.started) out.push({ line: this.elementLine, text: this.parts.join('').trimEnd() });
    else if (!closing || this.elements > 0) out.push({ line: this.line, problem: 'empty array element' });
    this.elements++;
    this.parts = [];
    this.size = 0;
    this.started = false;
    this.tooLong = false;
  }
}

/**
 * Cuts a dump into documents as it streams in: one document per line, or a
 * JSON array when the first non-blank character is `[`. Holds one document
 * at a time; the consumer pulls, so a slow consumer slows the reading.
 */
export async function* readRecords(input: AsyncIterable<string | Buffer>): AsyncGenerator<SourceRecord> {
  const decoder = new StringDecoder('utf8');
  let splitter: Splitter | undefined;
  let line = 1;
  let first = true;
  const out: SourceRecord[] = [];
  for await (const piece of input) {
    let chunk = typeof piece === 'string' ? piece : decoder.write(piece);
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (!splitter) {
      let start = 0;
      while (start < chunk.length && isSpace(chunk.charCodeAt(start))) start++;
      line += countNewlines(chunk, 0, start);
      if (start === chunk.length) continue;
      splitter = chunk[start] === '[' ? new ArraySplitter(line) : new LineSplitter(line);
      chunk = chunk.slice(start);
    }
    splitter.push(chunk, out);
    yield* out.splice(0);
  }
  splitter?.push(decoder.end(), out);
  splitter?.end(out);
  yield* out;
}
