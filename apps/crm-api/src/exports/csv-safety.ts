// A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR, may shift
// it until it does): CSV injection, OWASP. A leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text a spreadsheet will not evaluate. Numbers in E.164 (+44…) are neutralised too. */
export function neutraliseCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}
