import { runCli } from './cli.js';
import { processIo } from './cli-io.js';

/** `npm run tongban -- <command>`: the operators' command line (`npm run tongban -- help` lists the commands). */
process.exitCode = await runCli(process.argv.slice(2), processIo());
