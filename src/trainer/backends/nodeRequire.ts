import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * A require that esbuild leaves alone (all @tensorflow/* are external in the bundle), resolving
 * from this file (dist/trainer.js once bundled) rather than from the working directory.
 */
export const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
