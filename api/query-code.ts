import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * The applicant's query code (查询码, 进度查询): 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L), about
 * 40 bits, drawn at the API's edge when a case starts and shown once; the case keeps only a salted scrypt hash of it.
 * The engine never sees the code (it records the hash it is given), so a command, a row or a log never holds it.
 */
export const QUERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const QUERY_CODE_LENGTH = 8;

/**
 * scrypt's cost: N = 2^12, r = 8 (4 MiB, some 11 ms of a core a try here). Every start pays it once, so it is kept
 * below the password-grade 2^14 (~50 ms, a fifth of a core's starts); guessing 40 bits offline still takes some
 * 350 core-years per stolen hash, and online guessing is rate limited and locked out.
 */
const COST = { N: 4_096, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

/** A new code, each character drawn uniformly (`randomInt` rejects the bias a modulo would have). */
export function newQueryCode(): string {
  let code = '';
  for (let i = 0; i < QUERY_CODE_LENGTH; i += 1) code += QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)];
  return code;
}

/**
 * A code as typed, as it is compared: upper case, spaces and dashes dropped (`abcd-efgh` is `ABCDEFGH`). Null when it
 * cannot be a code at all (another length, a character outside the alphabet): such a code matches no case.
 */
export function normalizeQueryCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === QUERY_CODE_LENGTH && [...code].every((ch) => QUERY_CODE_ALPHABET.includes(ch)) ? code : null;
}

/** `scrypt:<N>:<r>:<p>:<salt hex>:<hash hex>`: the cost is kept with the hash, so that it can grow for new codes. */
export async function hashQueryCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(code, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('hex'), hash.toString('hex')].join(':');
}

/**
 * Whether `typed` is the code `stored` hashes, compared in constant time. A case without a code (`stored` null) or a
 * code that cannot be one is checked against a hash of nothing all the same, so that the answer takes as long
 * whether the case exists or not.
 */
export async function verifyQueryCode(typed: string, stored: string | null): Promise<boolean> {
  const code = normalizeQueryCode(typed);
  const parsed = stored === null ? null : parseHash(stored);
  const against = parsed ?? (await decoy());
  const hash = await scrypt(code ?? typed, against.salt, against.cost);
  return timingSafeEqual(hash, against.hash) && parsed !== null && code !== null;
}

interface StoredHash {
  readonly cost: ScryptOptions & { N: number; r: number; p: number };
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function parseHash(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, hash] = stored.split(':');
  if (scheme !== 'scrypt' || !salt || !hash) return null;
  return { cost: { N: Number(n), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'hex'), hash: Buffer.from(hash, 'hex') };
}

let decoyHash: Promise<StoredHash> | undefined;
/** A hash of a code nobody has, compared when there is no real one to compare. */
function decoy(): Promise<StoredHash> {
  decoyHash ??= hashQueryCode(newQueryCode()).then((h) => parseHash(h) as StoredHash);
  return decoyHash;
}

function scrypt(code: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  // maxmem: scrypt needs 128·N·r bytes, just over Node's default 32 MiB ceiling at higher costs.
  return new Promise((resolve, reject) => scryptCallback(code, salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}
