import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A key for one machine's development stack (`what` names it in the log line: "payload
 * encryption key", "client data master key"): read from its file, or made once (32 random
 * bytes, base64) and kept there, git-ignored and readable by the owner only. Lose it and what
 * was encrypted with it cannot be read; production sets the key in the environment instead.
 */
export function keyFromFile(file: string, what: string, log: (line: string) => void): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  log(`Made a ${what} for this machine in ${file}`);
  return key;
}
