/** What a benchmark module exports; run.ts prints each result as a table. */
export interface BenchRow {
  [column: string]: string | number;
}

export interface Bench {
  name: string;
  /** Rows of figures; thrown errors are reported and the other benchmarks still run. */
  run(): Promise<BenchRow[]>;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
