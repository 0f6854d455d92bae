/**
 * Tiny real documents built in memory for attachment tests: a one-page PDF with a text line and a DOCX
 * (a ZIP with the minimal Word parts), so extraction runs the real parsers without fixture files.
 */
import { crc32 } from 'node:zlib';

/** A page of a generated PDF: lines of text (Helvetica), and/or a JPEG drawn across the top of the page. */
export interface PdfPage {
  lines?: string[];
  jpeg?: { bytes: Uint8Array; width: number; height: number };
}

/** A valid PDF with these pages and a correct xref table (binary-safe: JPEG streams kept as bytes). */
export function makePdfDocument(pages: PdfPage[]): Uint8Array {
  const objects: (string | Buffer)[] = [];
  // Object numbers: 1 is the catalog, then objects in the order added.
  const add = (body: string | Buffer) => objects.push(body) + 1;
  const fontRef = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const pageRefs: number[] = [];
  const pageBodies: (() => void)[] = [];
  for (const page of pages) {
    const ops: string[] = [];
    let xobject = '';
    if (page.jpeg) {
      const { bytes, width, height } = page.jpeg;
      const img = add(
        Buffer.concat([
          Buffer.from(
            `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${bytes.length} >>\nstream\n`,
            'latin1',
          ),
          Buffer.from(bytes),
          Buffer.from('\nendstream', 'latin1'),
        ]),
      );
      xobject = ` /XObject << /Im1 ${img} 0 R >>`;
      const h = Math.round((612 * height) / width);
      ops.push(`q 612 0 0 ${h} 0 ${792 - h} cm /Im1 Do Q`);
    }
    (page.lines ?? []).forEach((line, i) => {
      const escaped = line.replace(/[\\()]/g, (c) => `\\${c}`);
      ops.push(`BT /F1 12 Tf 72 ${700 - i * 16} Td (${escaped}) Tj ET`);
    });
    const stream = ops.join('\n');
    const contents = add(
      `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    );
    const pageRef = add('');
    pageRefs.push(pageRef);
    pageBodies.push(() => {
      objects[pageRef - 2] =
        `<< /Type /Page /Parent PAGES 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /Font << /F1 ${fontRef} 0 R >>${xobject} >> >>`;
    });
  }
  const pagesObj = add(
    `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pages.length} >>`,
  );
  for (const fill of pageBodies) fill();
  const all: (string | Buffer)[] = [
    `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`,
    ...objects.map((o) => (typeof o === 'string' ? o.replace('PAGES 0 R', `${pagesObj} 0 R`) : o)),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  all.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  let tail = `xref\n0 ${all.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(tail, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/** A valid single-page PDF showing `text`. */
export function makePdf(text: string): Uint8Array {
  return makePdfDocument([{ lines: [text] }]);
}

/** A ZIP with stored (uncompressed) entries. */
function zip(files: Record<string, string>): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    local.push(header, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, ...central, end]));
}

/** A minimal Word document with one paragraph per line. */
export function makeDocx(paragraphs: string[]): Uint8Array {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('');
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  });
}

/** A 1×1 PNG. */
export const PNG_1PX = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);
