/**
 * XLSX: the package is checked (zip.ts) and the cells of every sheet counted before exceljs loads the
 * workbook (it keeps every cell as an object). Each sheet gives segments of whole rows, cells joined by
 * " | ", located by sheet name.
 */
import { ExtractRefusal } from '../refusal';
import type { SegmentSink } from '../segments';
import type { ExtractLimits } from '../types';
import { openZip } from '../zip';
import { addRows } from './text';

export async function readXlsx(
  name: string,
  bytes: Uint8Array,
  limits: ExtractLimits,
  sink: SegmentSink,
): Promise<{ sheets: number; unpackedBytes: number }> {
  const zip = openZip(name, bytes, limits);
  let cells = 0;
  for (const entry of zip.entries) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) continue;
    cells += zip.text(entry.name)?.match(/<c[\s>/]/g)?.length ?? 0;
    if (cells > limits.elements)
      throw new ExtractRefusal(
        'too_many_elements',
        `${name} is refused: it has more than ${limits.elements.toLocaleString('en')} cells.`,
      );
  }
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (err) {
    throw new ExtractRefusal('corrupt', `${name} could not be read: it may be damaged.`, { cause: err });
  }
  for (const sheet of workbook.worksheets) {
    const rows: string[] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell) => {
        values.push(cellText(cell).replace(/\s*\n\s*/g, ' '));
      });
      rows.push(values.join(' | ').replace(/( \| )+$/, ''));
    });
    if (!addRows(rows, { sheet: sheet.name }, sink)) break;
  }
  return { sheets: workbook.worksheets.length, unpackedBytes: zip.inflated };
}

function cellText(cell: { text?: string; value?: unknown }): string {
  try {
    return cell.text ?? '';
  } catch {
    return String(cell.value ?? '');
  }
}
