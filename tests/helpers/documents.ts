/**
 * Tiny real documents built in memory for attachment and extraction tests: PDFs with a text line per page,
 * a DOCX (a ZIP with the minimal Word parts), so extraction runs the real parsers without fixture files.
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** A PDF object: a dictionary, or a stream with its (already encoded) bytes. */
export type PdfObject = string | { dict: string; data: Uint8Array };

/** A PDF from its objects (numbered from 1; object 1 must be the catalog), with a correct xref table. */
export function buildPdf(objects: PdfObject[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = parts[0]!.length;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    if (typeof body === 'string') push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1'));
    else {
      push(Buffer.from(`${i + 1} 0 obj\n${body.dict}\nstream\n`, 'latin1'));
      push(Buffer.from(body.data));
      push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  const xref = length;
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  push(Buffer.from(tail, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

export const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** A page of a generated PDF: lines of text (Helvetica), and/or a JPEG drawn across the top of the page. */
export interface PdfPage {
  lines?: string[];
  jpeg?: { bytes: Uint8Array; width: number; height: number };
}

/** A PDF whose pages hold several lines of text and/or a scanned-looking JPEG (no text layer). */
export function makePdfDocument(pages: PdfPage[]): Uint8Array {
  const objects: PdfObject[] = ['<< /Type /Catalog /Pages 2 0 R >>', '', HELVETICA];
  const add = (o: PdfObject) => objects.push(o); // returns the new object's number
  const kids: number[] = [];
  for (const page of pages) {
    const ops: string[] = [];
    let xobject = '';
    if (page.jpeg) {
      const { bytes, width, height } = page.jpeg;
      const img = add({
        dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${bytes.length} >>`,
        data: bytes,
      });
      xobject = ` /XObject << /Im1 ${img} 0 R >>`;
      const h = Math.round((612 * height) / width);
      ops.push(`q 612 0 0 ${h} 0 ${792 - h} cm /Im1 Do Q`);
    }
    (page.lines ?? []).forEach((line, i) => {
      ops.push(`BT /F1 12 Tf 72 ${700 - i * 16} Td (${line.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`);
    });
    const stream = Buffer.from(ops.join('\n'), 'latin1');
    const contents = add({ dict: `<< /Length ${stream.length} >>`, data: stream });
    kids.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /Font << /F1 3 0 R >>${xobject} >> >>`,
      ),
    );
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  return buildPdf(objects);
}

/** A valid PDF with one page per entry of `pages`, each showing its text (Helvetica). */
export function makePdf(...pages: string[]): Uint8Array {
  const first = 3 + pages.length * 2;
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + i * 2} 0 R`).join(' ')}] /Count ${pages.length} >>`,
  ];
  pages.forEach((text, i) => {
    const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
    const stream = text ? `BT /F1 18 Tf 72 720 Td (${escaped}) Tj ET` : '';
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${4 + i * 2} 0 R /Resources << /Font << /F1 ${first} 0 R >> >> >>`,
      { dict: `<< /Length ${stream.length} >>`, data: Buffer.from(stream, 'latin1') },
    );
  });
  objects.push(HELVETICA);
  return buildPdf(objects);
}

/** A ZIP with stored entries, or deflated ones with `deflate`. */
export function zip(files: Record<string, string | Buffer>, options: { deflate?: boolean } = {}): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const data = options.deflate ? deflateRawSync(raw, { level: 9 }) : raw;
    const method = options.deflate ? 8 : 0;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(raw);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(method, 8);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(raw.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    local.push(header, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(raw.length, 24);
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

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DOCX_PARTS = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  'word/_rels/document.xml.rels':
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  'word/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W}">${[1, 2, 3]
    .map(
      (n) => `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/></w:style>`,
    )
    .join('')}</w:styles>`,
};

const docxBody = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`;

/** A minimal Word document with one paragraph per line; a line starting with `#`s is a heading (levels 1–3). */
export function makeDocx(paragraphs: string[]): Uint8Array {
  const body = paragraphs
    .map((p) => {
      const [, marks = '', text = p] = /^(#{1,3}) (.*)$/.exec(p) ?? [];
      const style = marks ? `<w:pPr><w:pStyle w:val="Heading${marks.length}"/></w:pPr>` : '';
      return `<w:p>${style}<w:r><w:t>${text}</w:t></w:r></w:p>`;
    })
    .join('');
  return zip({ ...DOCX_PARTS, 'word/document.xml': docxBody(body) });
}

/** A DOCX whose document.xml is `mb` MB of tiny paragraphs, deflated (a decompression bomb of ~mb/300 MB). */
export function makeDocxBomb(mb: number): Uint8Array {
  const paragraph = '<w:p><w:r><w:t>a</w:t></w:r></w:p>';
  const body = paragraph.repeat(Math.ceil((mb * 1024 * 1024) / paragraph.length));
  return zip({ ...DOCX_PARTS, 'word/document.xml': Buffer.from(docxBody(body)) }, { deflate: true });
}

/** A 1×1 PNG. */
export const PNG_1PX = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** A PPTX with one slide per entry, each slide's lines as paragraphs; `order` lists slide numbers as shown. */
export function makePptx(slides: string[][], order = slides.map((_, i) => i + 1)): Uint8Array {
  const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
  const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>',
    'ppt/presentation.xml': `<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="${P}" xmlns:r="${R}"><p:sldIdLst>${order
      .map((n, i) => `<p:sldId id="${256 + i}" r:id="rId${n}"/>`)
      .join('')}</p:sldIdLst></p:presentation>`,
    'ppt/_rels/presentation.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${slides
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide${i + 1}.xml"/>`,
      )
      .join('')}</Relationships>`,
  };
  slides.forEach((lines, i) => {
    const body = lines.map((l) => `<a:p><a:r><a:t>${l}</a:t></a:r></a:p>`).join('');
    parts[`ppt/slides/slide${i + 1}.xml`] =
      `<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="${A}" xmlns:p="${P}"><p:cSld><p:spTree><p:sp><p:txBody>${body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  });
  return zip(parts, { deflate: true });
}

/** An XLSX (written by exceljs) with the given sheets of rows. */
export async function makeXlsx(sheets: Record<string, (string | number)[][]>): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) workbook.addWorksheet(name).addRows(rows);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A real image of the given size and type, drawn and encoded by @napi-rs/canvas (branding, vision tests). */
export async function makeImage(
  type: 'png' | 'jpeg' | 'webp',
  width: number,
  height: number,
  colour = '#0f766e',
): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = colour;
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#ffffff';
  g.fillRect(Math.floor(width / 4), Math.floor(height / 4), Math.ceil(width / 2), Math.ceil(height / 2));
  return new Uint8Array(type === 'png' ? await canvas.encode('png') : await canvas.encode(type, 90));
}
