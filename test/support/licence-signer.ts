import { ed25519Signer } from '../../engine/licences/licence-signer.js';

/**
 * The key tests sign licences with — fixed, so that a worker process of a test (`worker-process.ts`) signs as its
 * test does, and fixtures register it (`signing_keys`) so that their licences verify. For tests only: it is public.
 * As a PEM for a process given it as `TONGBAN_LICENCE_SIGNING_KEY`.
 */
export const TEST_LICENCE_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJRUpw+0l7D13WwJ6Uq8fgvKYhzS3MN37enhWPlfbu9w
-----END PRIVATE KEY-----
`;
export const TEST_LICENCE_SIGNER = ed25519Signer(TEST_LICENCE_KEY);
