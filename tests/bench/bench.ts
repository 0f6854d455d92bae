/** What a benchmark module exports; run.ts prints each result as a table. */
import { readFileSync } from 'node:fs';

export interface BenchRow {
  [column: string]: string | number;
}

export interface Bench {
  /** `npm run bench -- <id>` runs this one alone. */
  id: string;
  name: string;
  /** Rows of figures; thrown errors are reported and the other benchmarks still run. */
  run(): Promise<BenchRow[]>;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** CPU time (user + system, all threads) a process has used, in ms; /proc counts in 1/100 s (USER_HZ). */
export const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
