import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The payload encryption key for one machine's development stack: read from its file, or made
 * once and kept there (git-ignored, readable by the owner only). Lose it and the histories
 * written with it cannot be read; production sets PAYLOAD_ENCRYPTION_KEY instead.
 */
export function payloadKeyFromFile(file: string, log: (line: string) => void): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  log(`Made a payload encryption key for this machine in ${file}`);
  return key;
}
