import { describe, expect, it } from 'vitest';
import { materialType } from '../../api/material-types.js';

describe('the type of a material’s file, from its leading bytes', () => {
  it('recognises PDF, OFD, JPEG and PNG, whatever the file is called', () => {
    expect(materialType(Buffer.from('%PDF-1.4 …'), '')).toBe('application/pdf');
    expect(materialType(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('OFD.xml')]), 'application/octet-stream')).toBe('application/ofd');
    expect(materialType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]), 'image/jpeg')).toBe('image/jpeg');
    expect(materialType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png; charset=binary')).toBe('image/png');
  });

  it('refuses anything else, a ZIP that is not an OFD package, and bytes that belie the type claimed', () => {
    expect(materialType(Buffer.from('hello'), 'text/plain')).toBeNull();
    expect(materialType(Buffer.from('PK\x03\x04 word/document.xml'), '')).toBeNull();
    expect(materialType(Buffer.from('%PDF-1.4'), 'image/png')).toBeNull();
  });
});
