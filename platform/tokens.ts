import { mintToken } from '../api/auth.js';
import { jwtSecret } from './config.js';
import { DEMO_USERS } from './demo-users.js';
import { systemClock } from './system-clock.js';

/**
 * `npm run tokens [user]`: prints a bearer token (valid 12 hours) for every demo user, or for one.
 * Uses TONGBAN_JWT_SECRET, or the dev secret `npm start` keeps in .data/dev.
 */
export async function printTokens(only?: string): Promise<void> {
  const secret = jwtSecret({ dev: true });
  const chosen = DEMO_USERS.filter((u) => !only || u.id === only);
  if (chosen.length === 0) throw new Error(`No demo user ${only}; try one of: ${DEMO_USERS.map((u) => u.id).join(', ')}`);
  for (const user of chosen) {
    console.log(`${user.id.padEnd(24)} ${user.roles.join(',').padEnd(14)} ${await mintToken(user.id, secret, systemClock)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await printTokens(process.argv[2]);
