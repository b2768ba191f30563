/** What test tokens are signed with: in the API in memory (api-fixture.ts) and in the fleet's API processes (api-process.ts). */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';
