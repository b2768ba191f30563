import { mintToken } from '../api/auth.js';
import { jwtSecret } from '../platform/config.js';
import { tokenLifetime } from './auth-config.js';
import { DEMO_USERS } from './demo-users.js';
import { systemClock } from '../platform/system-clock.js';

/**
 * `npm run tokens [user]`: prints a bearer token (valid as long as the API accepts, 12 hours by default)
 * for every demo user, or for one. Uses TONGBAN_JWT_SECRET, or the dev secret `npm start` keeps in .data/dev.
 * An unknown user is a typing mistake: one line naming the users, exit status 1, no stack trace.
 */
async function printTokens(only: string | undefined): Promise<void> {
  const chosen = DEMO_USERS.filter((u) => !only || u.id === only);
  if (chosen.length === 0) {
    console.error(`No demo user ${only}; try one of: ${DEMO_USERS.map((u) => u.id).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const secret = jwtSecret({ dev: true });
  const { maxTokenLifetimeSeconds } = tokenLifetime();
  for (const user of chosen) {
    console.log(`${user.id.padEnd(24)} ${user.roles.join(',').padEnd(14)} ${await mintToken(user.id, secret, systemClock, maxTokenLifetimeSeconds)}`);
  }
}

await printTokens(process.argv[2]);
