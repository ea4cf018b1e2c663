// An export file sealed with a passphrase: the whole backup document, encrypted as one piece with
// AES-GCM under a PBKDF2 key, wrapped in a small JSON envelope that says how to open it. Without the
// passphrase nothing in it is readable, not even the names.
import { z } from 'zod';
import { fromBase64, toBase64 } from './backup-format.ts';
import { passphraseKey, PBKDF2_ITERATIONS, seal, unseal } from './vault.ts';

export const SEALED_BACKUP_FORMAT = 'visage-backup-encrypted';
export const SEALED_BACKUP_VERSION = 1;
const CONTEXT = 'visage backup';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64');
const envelopeSchema = z.object({
  format: z.literal(SEALED_BACKUP_FORMAT),
  version: z.literal(SEALED_BACKUP_VERSION),
  kdf: z.object({ name: z.literal('PBKDF2'), hash: z.literal('SHA-256'), iterations: z.number().int().min(100_000).max(10_000_000), salt: base64 }),
  cipher: z.object({ name: z.literal('AES-GCM'), iv: base64 }),
  data: base64,
});

export async function sealBackup(json: string, passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await passphraseKey(passphrase, salt, iterations);
  const sealed = await seal(key, new TextEncoder().encode(json), CONTEXT);
  return JSON.stringify({
    format: SEALED_BACKUP_FORMAT, version: SEALED_BACKUP_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64(sealed.iv) },
    data: toBase64(new Uint8Array(sealed.data)),
  });
}

export const isSealedBackup = (json: unknown): boolean => typeof json === 'object' && json !== null && (json as { format?: unknown }).format === SEALED_BACKUP_FORMAT;

/** The backup document inside, or why it cannot be opened. */
export async function openBackup(json: unknown, passphrase: string): Promise<{ ok: true; json: unknown } | { ok: false; message: string }> {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, message: 'The encrypted backup is damaged or of an unknown version.' };
  const { kdf, cipher, data } = envelope.data;
  const key = await passphraseKey(passphrase, fromBase64(kdf.salt), kdf.iterations);
  let plain: Uint8Array;
  try {
    plain = await unseal(key, { iv: fromBase64(cipher.iv), data: fromBase64(data).buffer }, CONTEXT);
  } catch {
    return { ok: false, message: 'Wrong passphrase for this backup (or the file was changed).' };
  }
  try {
    return { ok: true, json: JSON.parse(new TextDecoder().decode(plain)) };
  } catch {
    return { ok: false, message: 'The encrypted backup holds no valid JSON.' };
  }
}
