// Writes the registry lists (src/core/activations and src/trainer/activations), then
// schemas/actlab.schema.json from src/core/schema.ts and the README's activation table.
// Run: npm run schema
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_DIR, GENERATED, ROOT, TRAINER_DIR, coreListText, trainerListText, withReadmeTable } from './registry';

function write(path: string, text: string): void {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}

async function main(): Promise<void> {
  write(join(CORE_DIR, GENERATED), coreListText());
  write(join(TRAINER_DIR, GENERATED), trainerListText());
  // Imported after the lists are written: the schema and the table read the registry.
  const { schemaText } = await import('../src/core/schema');
  const { activationTable } = await import('../src/core/catalog');
  write(join(ROOT, 'schemas', 'actlab.schema.json'), schemaText());
  const readme = join(ROOT, 'README.md');
  write(readme, withReadmeTable(readFileSync(readme, 'utf8'), activationTable()));
}

void main();
