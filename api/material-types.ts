/**
 * The types of file a material may be (材料格式), each recognised by its leading bytes, whatever the client claims:
 * PDF, OFD (the national standard for electronic documents: a ZIP package holding `OFD.xml`), JPEG and PNG.
 */
export const MATERIAL_TYPES = [
  { contentType: 'application/pdf', matches: (head: Buffer) => startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { contentType: 'application/ofd', matches: (head: Buffer) => startsWith(head, [0x50, 0x4b, 0x03, 0x04]) && head.includes('OFD.xml') },
  { contentType: 'image/jpeg', matches: (head: Buffer) => startsWith(head, [0xff, 0xd8, 0xff]) },
  { contentType: 'image/png', matches: (head: Buffer) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
] as const;

export type MaterialContentType = (typeof MATERIAL_TYPES)[number]['contentType'];

/** The leading bytes the type is judged on: enough for an OFD package's first entry names. */
export const HEAD_BYTES = 4096;

const startsWith = (head: Buffer, magic: readonly number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);

/**
 * The type the file's leading bytes show, or null when none allowed matches. A client's claimed type other than
 * `application/octet-stream` must agree: a file dressed up as another type is refused, not renamed.
 *
 * @example materialType(Buffer.from('%PDF-1.7…'), 'application/pdf'); // 'application/pdf'
 */
export function materialType(head: Buffer, claimed: string): MaterialContentType | null {
  const found = MATERIAL_TYPES.find((t) => t.matches(head));
  if (!found) return null;
  const declared = claimed.split(';')[0]?.trim().toLowerCase() ?? '';
  return declared === '' || declared === 'application/octet-stream' || declared === found.contentType ? found.contentType : null;
}
