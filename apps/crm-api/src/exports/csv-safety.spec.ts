import { neutraliseCell } from './csv-safety';

describe('neutraliseCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+447700900123', `'+447700900123`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
  ])('prefixes a cell that a spreadsheet would evaluate: %j', (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });

  it.each(['Ada', 'a=b', ' =1', "O'Brien", ''])('leaves other text alone: %j', (input) => {
    expect(neutraliseCell(input)).toBe(input);
  });

  it('writes nothing for a missing value', () => {
    expect(neutraliseCell(null)).toBe('');
    expect(neutraliseCell(undefined)).toBe('');
  });
});
