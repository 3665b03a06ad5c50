// Writes schemas/actlab.schema.json from src/core/schema.ts. Run: node --import tsx scripts/gen-schema.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaText } from '../src/core/schema';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'actlab.schema.json');
writeFileSync(out, schemaText());
console.log(`wrote ${out}`);
