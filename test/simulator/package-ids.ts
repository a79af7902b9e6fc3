import { randomBytes, randomInt } from 'node:crypto';
import { PackageType } from './wire-shapes';

/**
 * A fresh ID in the service's formats: custom dictionaries get `F` and 9 digits (as IDs users report look),
 * the newer package types `pkg-` and 20 lowercase hex characters. `isTaken` keeps IDs unique in the Region.
 */
export function newPackageId(type: PackageType, isTaken: (id: string) => boolean): string {
  for (;;) {
    const id = type === 'TXT-DICTIONARY' ? `F${randomInt(100_000_000, 1_000_000_000)}` : `pkg-${randomBytes(10).toString('hex')}`;
    if (!isTaken(id)) return id;
  }
}
