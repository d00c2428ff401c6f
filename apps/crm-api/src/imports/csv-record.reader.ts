/**
 * A streaming RFC 4180 reader over raw bytes that survives bad input: every malformed record is
 * reported with its line and the reader picks up again at the next line, so one bad row never costs
 * the good rows after it.
 *
 * Why not csv-parse: with skip_records_with_error, csv-parse 5.6 silently drops the rest of the chunk
 * after a record over max_record_size, and after a bad closing quote it stays inside the quote and
 * swallows the following rows. Its error messages also quote field values (personal data).
 *
 * Memory is bounded by maxRecordBytes: a record is kept (raw, to re-read it after an error) only up
 * to that size. Fields come out as bytes, so the caller decides what invalid UTF-8 means.
 */

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

export type CsvRecordError = 'bad_quote' | 'unclosed_quote' | 'too_large';

export type CsvRecord =
  | { line: number; fields: Buffer[]; error?: undefined }
  | { line: number; fields?: undefined; error: CsvRecordError };

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the closing quote or the first of an escaped pair. */
  QuoteInQuoted,
  /** After the closing quote: only a comma, a line end or the end of input may follow. */
  AfterQuoted,
  /** After an error on a one-line record: everything up to the next line feed is discarded. */
  SkipLine,
}

export class CsvRecordReader {
  private state = State.FieldStart;
  /** The record's bytes as read, for re-reading from its second line after an error. */
  private readonly raw: Buffer;
  private rawLength = 0;
  /** The record's field contents, unescaped, back to back; `ends` marks where each field stops. */
  private readonly content: Buffer;
  private contentLength = 0;
  private ends: number[] = [];
  /** The line the scan is on, and the line the current record started on (1-based). */
  private line = 1;
  private recordLine = 1;
  private bomChecked = false;
  private pendingBom: Buffer | null = null;

  constructor(private readonly maxRecordBytes = 65_536) {
    this.raw = Buffer.allocUnsafe(maxRecordBytes + 1);
    this.content = Buffer.allocUnsafe(maxRecordBytes + 1);
  }

  /** The records completed by this chunk. */
  push(chunk: Buffer): CsvRecord[] {
    const out: CsvRecord[] = [];
    let input = chunk;
    if (!this.bomChecked) {
      input = this.pendingBom ? Buffer.concat([this.pendingBom, chunk]) : chunk;
      if (input.length < 3 && isBomPrefix(input)) {
        this.pendingBom = input;
        return out;
      }
      this.bomChecked = true;
      this.pendingBom = null;
      if (input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) input = input.subarray(3);
    }
    this.scan([input], out);
    return out;
  }

  /** The last record (one without a final line feed) and any error the end of input reveals. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (!this.bomChecked && this.pendingBom) {
      this.bomChecked = true;
      this.scan([this.pendingBom], out);
    }
    // Each pass either completes the input or re-reads a record from its second line on; it ends.
    for (;;) {
      switch (this.state) {
        case State.Quoted: {
          const rest = this.failRecord('unclosed_quote', out);
          if (rest === null) return out;
          this.scan([rest], out);
          continue;
        }
        case State.SkipLine:
          this.reset();
          return out;
        case State.FieldStart:
          if (this.ends.length === 0 && this.rawLength === 0) return out;
          this.endRecord(out);
          return out;
        default:
          this.endRecord(out);
          return out;
      }
    }
  }

  private scan(queue: Buffer[], out: CsvRecord[]): void {
    while (queue.length > 0) {
      const buf = queue.shift()!;
      const length = buf.length;
      let pos = 0;
      scanning: for (; pos < length; pos++) {
        const byte = buf[pos];
        if (this.state === State.SkipLine) {
          if (byte === LF) {
            this.line += 1;
            this.reset();
          }
          continue;
        }
        if (this.rawLength >= this.maxRecordBytes) {
          const rest = this.failRecord('too_large', out);
          if (rest !== null) {
            queue.unshift(rest, buf.subarray(pos));
            break scanning;
          }
          // No line feed yet: the rest of this line is part of the oversized record.
          pos -= 1;
          continue;
        }
        this.raw[this.rawLength++] = byte;
        switch (this.state) {
          case State.FieldStart:
            if (byte === QUOTE) this.state = State.Quoted;
            else if (byte === COMMA) this.endField();
            else if (byte === LF) this.endLine(out);
            else {
              this.content[this.contentLength++] = byte;
              this.state = State.Unquoted;
            }
            break;
          case State.Unquoted:
            if (byte === COMMA) this.endField();
            else if (byte === LF) this.endLine(out);
            else if (byte === QUOTE) {
              const rest = this.failRecord('bad_quote', out);
              if (rest !== null) {
                queue.unshift(rest, buf.subarray(pos + 1));
                break scanning;
              }
            } else this.content[this.contentLength++] = byte;
            break;
          case State.Quoted:
            if (byte === QUOTE) this.state = State.QuoteInQuoted;
            else {
              if (byte === LF) this.line += 1;
              this.content[this.contentLength++] = byte;
            }
            break;
          case State.QuoteInQuoted:
            if (byte === QUOTE) {
              this.content[this.contentLength++] = QUOTE;
              this.state = State.Quoted;
            } else if (byte === COMMA) this.endField();
            else if (byte === LF) this.endLine(out);
            else if (byte === CR) this.state = State.AfterQuoted;
            else {
              const rest = this.failRecord('bad_quote', out);
              if (rest !== null) {
                queue.unshift(rest, buf.subarray(pos + 1));
                break scanning;
              }
            }
            break;
          case State.AfterQuoted:
            if (byte === COMMA) this.endField();
            else if (byte === LF) this.endLine(out);
            else if (byte !== CR) {
              const rest = this.failRecord('bad_quote', out);
              if (rest !== null) {
                queue.unshift(rest, buf.subarray(pos + 1));
                break scanning;
              }
            }
            break;
        }
      }
    }
  }

  private endField(): void {
    this.ends.push(this.contentLength);
    this.state = State.FieldStart;
  }

  /** A line feed outside quotes: the record is complete. */
  private endLine(out: CsvRecord[]): void {
    // CRLF: the carriage return belongs to the line end, not to the last (unquoted) field.
    if (this.state === State.Unquoted && this.contentLength > 0 && this.content[this.contentLength - 1] === CR) {
      this.contentLength -= 1;
    }
    this.endRecord(out);
    this.line += 1;
    this.recordLine = this.line;
  }

  private endRecord(out: CsvRecord[]): void {
    this.ends.push(this.contentLength);
    const blank = this.ends.length === 1 && this.contentLength === 0 && this.state !== State.QuoteInQuoted && this.state !== State.AfterQuoted;
    if (!blank) {
      const all = Buffer.from(this.content.subarray(0, this.contentLength));
      const fields: Buffer[] = [];
      let start = 0;
      for (const end of this.ends) {
        fields.push(all.subarray(start, end));
        start = end;
      }
      out.push({ line: this.recordLine, fields });
    }
    this.reset();
    this.recordLine = this.line;
  }

  /**
   * Reports the current record and returns the bytes to read again: everything after the record's
   * first line (a quote that went wrong may have swallowed good lines). Null when the record has not
   * left its first line yet: then the rest of that line is skipped.
   */
  private failRecord(error: CsvRecordError, out: CsvRecord[]): Buffer | null {
    out.push({ line: this.recordLine, error });
    const firstLineEnd = this.raw.subarray(0, this.rawLength).indexOf(LF);
    if (firstLineEnd < 0) {
      this.line = this.recordLine;
      const atLineEnd = this.rawLength > 0 && this.raw[this.rawLength - 1] === LF;
      this.reset();
      if (!atLineEnd) this.state = State.SkipLine;
      return null;
    }
    const rest = Buffer.from(this.raw.subarray(firstLineEnd + 1, this.rawLength));
    this.line = this.recordLine + 1;
    this.recordLine = this.line;
    this.reset();
    return rest;
  }

  private reset(): void {
    this.state = State.FieldStart;
    this.rawLength = 0;
    this.contentLength = 0;
    this.ends = [];
    this.recordLine = this.line;
  }
}

function isBomPrefix(b: Buffer): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < b.length; i++) if (b[i] !== bom[i]) return false;
  return true;
}
