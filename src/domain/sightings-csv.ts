// The sightings log as CSV (RFC 4180) for a spreadsheet: one row per sighting, times in ISO 8601 UTC.
import type { Sighting } from './sightings.ts';

export const UNKNOWN_PERSON = 'Not in database';

export const CSV_HEADER = ['person', 'person_id', 'first_seen', 'last_seen', 'seconds', 'best_distance'] as const;

/**
 * Quotes a field when it needs it, and defuses spreadsheet formulas: a name typed as "=HYPERLINK(…)"
 * must stay text when the file is opened (OWASP CSV injection).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** @param nameOf the person's current name; undefined when they were deleted meanwhile. */
export function sightingsCsv(rows: readonly Sighting[], nameOf: (personId: string) => string | undefined): string {
  const lines = [CSV_HEADER.join(',')];
  for (const s of rows) {
    const person = s.personId === null ? UNKNOWN_PERSON : nameOf(s.personId) ?? 'Deleted person';
    lines.push([
      person,
      s.personId ?? '',
      new Date(s.firstSeen).toISOString(),
      new Date(s.lastSeen).toISOString(),
      ((s.lastSeen - s.firstSeen) / 1000).toFixed(1),
      Number.isFinite(s.bestDistance) ? s.bestDistance.toFixed(4) : '',
    ].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
