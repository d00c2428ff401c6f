import { CsvRecord, CsvRecordReader } from './csv-record.reader';

type Simple = [number, string[] | string];

function read(input: string | Buffer, chunkSize = 0, max = 65_536): Simple[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const reader = new CsvRecordReader(max);
  const records: CsvRecord[] = [];
  const size = chunkSize > 0 ? chunkSize : bytes.length || 1;
  for (let i = 0; i < bytes.length; i += size) records.push(...reader.push(bytes.subarray(i, i + size)));
  records.push(...reader.end());
  return records.map((r) => [r.line, r.error ?? r.fields.map((f) => f.toString('utf8'))]);
}

describe('CsvRecordReader', () => {
  it.each([0, 1, 2, 3, 7])('reads fields, quotes, CRLF, BOM and blank lines the same in chunks of %i', (chunk) => {
    const input = '\ufeffa,b\r\n1,"x, ""y"""\r\n\r\n"multi\nline",2\n3,\n';
    expect(read(input, chunk)).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x, "y"']],
      [4, ['multi\nline', '2']],
      [6, ['3', '']],
    ]);
  });

  it('reads a last line without a line feed', () => {
    expect(read('a,b\n1,2')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  it('reports a quote inside an unquoted field and keeps the next rows', () => {
    expect(read('a,b\nx"y,1\n2,3\n', 1)).toEqual([
      [1, ['a', 'b']],
      [2, 'bad_quote'],
      [3, ['2', '3']],
    ]);
  });

  it('reports text after a closing quote and re-reads the lines it swallowed', () => {
    expect(read('a,b\n1,"abc\n2,3\n4,"x"y\n5,6\n', 2)).toEqual([
      [1, ['a', 'b']],
      [2, 'bad_quote'],
      [3, ['2', '3']],
      [4, 'bad_quote'],
      [5, ['5', '6']],
    ]);
  });

  it('reports a quote never closed and re-reads every line after it', () => {
    expect(read('a,b\n1,2\n"x,3\n4,5\n6,7\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, 'unclosed_quote'],
      [4, ['4', '5']],
      [5, ['6', '7']],
    ]);
  });

  it('reports an oversized record, bounded, and keeps the next rows', () => {
    const huge = 'z'.repeat(500);
    expect(read(`a,b\n1,2\n${huge},3\n4,5\n"${huge}",6\n7,8\n`, 64, 100)).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, 'too_large'],
      [4, ['4', '5']],
      [5, 'too_large'],
      [6, ['7', '8']],
    ]);
  });

  it('returns bytes as they are, invalid UTF-8 included, for the caller to judge', () => {
    const input = Buffer.concat([Buffer.from('a\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\nok\n')]);
    const reader = new CsvRecordReader();
    const records = [...reader.push(input), ...reader.end()];
    expect(records.map((r) => r.fields?.[0])).toEqual([Buffer.from('a'), Buffer.from([0xff, 0xfe]), Buffer.from('ok')]);
  });

  it('reads nothing from an empty input', () => {
    expect(read('')).toEqual([]);
    expect(read('\ufeff')).toEqual([]);
  });
});
