// This tab's encryption-at-rest session: the vault row as last read, the data keys unlocked here, and
// the passphrase changes with their resumable re-encryption (reencryption.ts). The repository asks it
// for the keys to seal and open rows, and whether they still fit the stored vault.
import type { IDBPDatabase } from 'idb';
import type { VisageSchema } from './schema.ts';
import { GALLERY_TOPICS, type StoreChanges } from './store-changes.ts';
import type { Ring } from './sealed-rows.ts';
import { KeyChangedError, reencrypt, reencryptionOwed, ringFitsVault, type ReencryptionProgress } from './reencryption.ts';
import { keyringOf, LockedError, newVault, openDataKeys, unlockVault, type VaultRow } from './vault.ts';

/** Encryption at rest: none, set but not unlocked in this tab, or unlocked. */
export type EncryptionState = 'off' | 'locked' | 'on';

/** The repository's write: one awaited transaction over `stores`, announced as `changes`. */
export type VaultWrite = (stores: ['vault'], body: (vault: { get: () => Promise<VaultRow | undefined>; put: (row: VaultRow) => Promise<unknown> }) => Promise<void>) => Promise<void>;

export class VaultSession {
  /** This tab's unlocked data keys (null: locked, or no passphrase). */
  private ring: Ring = null;

  constructor(
    private readonly db: IDBPDatabase<VisageSchema>,
    /** The vault row as last read (undefined: no passphrase set). */
    private vault: VaultRow | undefined,
    private readonly changes: StoreChanges,
    private readonly writeVault: VaultWrite,
  ) {}

  /** The keys rows are sealed and opened with. */
  get keys(): Ring {
    return this.ring;
  }

  /** Whether this tab's keys are still those of `row` (another tab may have changed the passphrase). */
  fits(row: VaultRow | undefined): boolean {
    return ringFitsVault(row, this.ring);
  }

  /** After the face data was erased: no vault, no keys. */
  forget(): void {
    this.vault = undefined;
    this.ring = null;
  }

  encryption(): EncryptionState {
    if (!this.vault) return 'off';
    return ringFitsVault(this.vault, this.ring) ? 'on' : 'locked';
  }

  /** Whether a re-encryption was interrupted and must be finished (resumeReencryption) once unlocked. */
  reencryptionOwed(): boolean {
    return reencryptionOwed(this.vault);
  }

  requireUnlocked(): void {
    if (this.encryption() === 'locked') throw new LockedError();
  }

  async reload(): Promise<void> {
    this.vault = await this.db.get('vault', 'vault');
    if (!ringFitsVault(this.vault, this.ring)) this.ring = null;
    this.changes.emit(['vault', ...GALLERY_TOPICS]);
  }

  /** Unlocks the face data for this tab; WrongPassphraseError changes nothing. */
  async unlock(passphrase: string): Promise<void> {
    this.vault = await this.db.get('vault', 'vault');
    if (!this.vault) return;
    this.ring = await unlockVault(this.vault, passphrase);
    this.changes.emit(['vault', ...GALLERY_TOPICS]);
  }

  /** Stores a new vault row and switches to its keyring together, so the tab is never seen locked between. */
  private async saveVault(row: VaultRow, expected: VaultRow | undefined, ring: Ring): Promise<void> {
    await this.writeVault(['vault'], async (vault) => {
      const now = await vault.get();
      // Another tab changed the passphrase since we read it: do not overwrite its keys.
      if (now?.check.iv.join() !== expected?.check.iv.join() || now?.current !== expected?.current) throw new KeyChangedError();
      await vault.put(row);
    }); // announced below, once this tab holds the new keys
    this.vault = row;
    this.ring = ring;
    this.changes.announce(['vault']);
  }

  /**
   * Sets the passphrase (the current one is needed when there is one), then re-encrypts every face
   * picture and embedding with a new data key. Interrupted, it resumes at the next unlock.
   */
  async setPassphrase(passphrase: string, current: string | null, onProgress?: ReencryptionProgress, iterations?: number): Promise<void> {
    const before = (this.vault = await this.db.get('vault', 'vault'));
    const carried = before ? await openDataKeys(before, current ?? '') : new Map<number, Uint8Array>();
    const { row, raw } = await newVault(passphrase, carried, iterations);
    await this.saveVault(row, before, await keyringOf(row, raw));
    await this.resumeReencryption(onProgress);
  }

  /** Turns encryption off (the passphrase is needed): every row is decrypted, then the vault goes. */
  async removePassphrase(current: string, onProgress?: ReencryptionProgress): Promise<void> {
    const before = (this.vault = await this.db.get('vault', 'vault'));
    if (!before) return;
    const raw = await openDataKeys(before, current);
    const row: VaultRow = { ...before, current: null };
    await this.saveVault(row, before, await keyringOf(row, raw));
    await this.resumeReencryption(onProgress);
  }

  async resumeReencryption(onProgress?: ReencryptionProgress): Promise<{ damaged: number }> {
    this.requireUnlocked();
    const result = await reencrypt(this.db, this.ring, onProgress);
    this.vault = await this.db.get('vault', 'vault');
    if (!this.vault) this.ring = null;
    this.changes.announce(['vault', ...GALLERY_TOPICS]);
    return result;
  }
}
