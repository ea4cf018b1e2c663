// Encryption at rest with WebCrypto. A passphrase derives (PBKDF2-SHA-256, stored salt and iteration
// count) a key-encryption key; that key seals random AES-GCM data keys, and the data keys seal the face
// data. Data keys carry a generation number, so a change of passphrase can re-encrypt row by row, survive
// being interrupted, and still read every row it has not reached yet.

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about half a second on a laptop, per unlock. */
export const PBKDF2_ITERATIONS = 600_000;
export const MIN_PASSPHRASE_LENGTH = 8;
const CHECK_TEXT = 'visage-vault-check';

/** Bytes sealed with AES-GCM: the 12-byte nonce and the ciphertext with its tag. */
export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

/** A stored field in sealed form: which data key sealed it, and the platform type of the plain value. */
export interface SealedField extends Sealed {
  sealed: 1;
  g: number;
  type: string;
}

export interface VaultRow {
  key: 'vault';
  salt: Uint8Array;
  iterations: number;
  /** A known text sealed with the passphrase's key: a wrong passphrase fails here, before any data is read. */
  check: Sealed;
  /** The data keys, sealed with the passphrase's key. More than one only while a re-encryption runs. */
  keys: { g: number; wrapped: Sealed }[];
  /** The data key new writes use; null while encryption is being turned off. */
  current: number | null;
}

export class WrongPassphraseError extends Error {
  constructor() {
    super('Wrong passphrase: nothing was read or changed. Try again.');
    this.name = 'WrongPassphraseError';
  }
}

export class LockedError extends Error {
  constructor() {
    super('The face data is encrypted: enter the passphrase first.');
    this.name = 'LockedError';
  }
}

export function isSealedField(v: unknown): v is SealedField {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Partial<SealedField>;
  return f.sealed === 1 && typeof f.g === 'number' && f.iv instanceof Uint8Array && f.data instanceof ArrayBuffer && typeof f.type === 'string';
}

const utf8 = new TextEncoder();

/** `crypto.subtle` wants ArrayBuffer-backed views; copies of what IndexedDB hands back are. */
const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

export async function passphraseKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, plain: Uint8Array, context = ''): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8.encode(context) }, key, bytes(plain));
  return { iv, data };
}

/** Throws (an OperationError) when the key is wrong, the bytes were changed, or the context differs. */
export async function unseal(key: CryptoKey, sealed: Sealed, context = ''): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(sealed.iv), additionalData: utf8.encode(context) }, key, sealed.data));
}

const dataKey = (raw: Uint8Array) => crypto.subtle.importKey('raw', bytes(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);

/** The unlocked data keys. They cannot be exported; raw key bytes exist only while a vault is unlocked or rebuilt. */
export class Keyring {
  constructor(private readonly keys: ReadonlyMap<number, CryptoKey>, readonly current: number | null) {}

  async sealField(plain: Uint8Array, type: string, context: string): Promise<SealedField> {
    const key = this.current === null ? undefined : this.keys.get(this.current);
    if (!key) throw new Error('Encryption is being turned off: nothing is sealed any more.');
    return { sealed: 1, g: this.current as number, type, ...(await seal(key, plain, context)) };
  }

  async openField(field: SealedField, context: string): Promise<Uint8Array> {
    const key = this.keys.get(field.g);
    if (!key) throw new LockedError();
    return unseal(key, field, context);
  }
}

/** The raw data keys of a vault, or WrongPassphraseError. */
export async function openDataKeys(row: VaultRow, passphrase: string): Promise<Map<number, Uint8Array>> {
  const kek = await passphraseKey(passphrase, row.salt, row.iterations);
  try {
    await unseal(kek, row.check, 'check');
  } catch {
    throw new WrongPassphraseError();
  }
  const raw = new Map<number, Uint8Array>();
  for (const k of row.keys) raw.set(k.g, await unseal(kek, k.wrapped, `key ${k.g}`));
  return raw;
}

export async function keyringOf(row: VaultRow, raw: ReadonlyMap<number, Uint8Array>): Promise<Keyring> {
  const keys = new Map<number, CryptoKey>();
  for (const [g, r] of raw) keys.set(g, await dataKey(r));
  return new Keyring(keys, row.current);
}

export async function unlockVault(row: VaultRow, passphrase: string): Promise<Keyring> {
  return keyringOf(row, await openDataKeys(row, passphrase));
}

/**
 * A vault for a new passphrase that keeps the data keys it is given (so rows they sealed stay readable
 * until re-encrypted) and makes a fresh data key for new writes.
 */
export async function newVault(passphrase: string, carried: ReadonlyMap<number, Uint8Array>, iterations = PBKDF2_ITERATIONS): Promise<{ row: VaultRow; raw: Map<number, Uint8Array> }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await passphraseKey(passphrase, salt, iterations);
  const raw = new Map(carried);
  const g = Math.max(0, ...raw.keys()) + 1;
  raw.set(g, crypto.getRandomValues(new Uint8Array(32)));
  const keys: VaultRow['keys'] = [];
  for (const [kg, r] of raw) keys.push({ g: kg, wrapped: await seal(kek, r, `key ${kg}`) });
  const row: VaultRow = { key: 'vault', salt, iterations, check: await seal(kek, utf8.encode(CHECK_TEXT), 'check'), keys, current: g };
  return { row, raw };
}

export function checkNewPassphrase(passphrase: string, repeat: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  if (passphrase !== repeat) return 'The two passphrases differ.';
  return null;
}
