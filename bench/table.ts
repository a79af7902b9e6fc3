/** Prints rows as an aligned text table with a title. */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map(row => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map(row => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  cells.slice(1).forEach(row => console.log(line(row)));
}

/** The median of the values. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `a / b` with two decimals, as a ratio column. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}
