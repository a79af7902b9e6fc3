import { DomainLocation } from './domain-location';

/*
 * The physical ID of an association's ownership record
 * (Custom::OpenSearchPackageAssociation): which association it is, in the
 * terms the service uses, and whether the stack made it or adopted it.
 *
 * `<account>/<region>/<domain>/<package>[ (kept)| (adopted)| (unverified)][ was:<the record's previous ID>]`
 *
 * The package is named by its owner and name (`AWS:analysis-sudachi`,
 * `123456789012:product-synonyms`), which stay the same whether the template
 * names it by ID or by AWS name, and from one engine version to the next (a
 * plugin's successor has the same name): the same association is one
 * identity however it is written. `unverified` marks a record whose check
 * could not be made: it claims nothing, so it never removes anything.
 * `kept` marks an association the stack made, that a retaining removal
 * policy kept on the domain when it left the stack, and that the stack
 * declares again: it is the stack's own, as `owned` is, but it was on the
 * domain when the record was made (an `owned` record found it absent).
 */

/**
 * Whether the stack made the association (`owned`: it found the package absent; `kept`: its own, kept on the domain
 * by a retaining removal policy), found it and took it as it was (`adopted`), or could not tell (`unverified`).
 */
export type Ownership = 'owned' | 'kept' | 'adopted' | 'unverified';

export interface OwnershipRecord {
  /** `<account>/<region>/<domain>/<package>`. */
  readonly association: string;
  readonly ownership: Ownership;
  /** The record's physical ID before an update moved it to another association, to return to on rollback. */
  readonly was?: string;
}

const SUFFIXES: Record<Exclude<Ownership, 'owned'>, string> = { kept: ' (kept)', adopted: ' (adopted)', unverified: ' (unverified)' };

/**
 * The package's part of an association's identity: its owner and name, which
 * DescribePackages gives (`AWS` for the packages AWS provides); its ID when
 * the service does not know the package.
 */
export function packageKey(details: { readonly PackageName?: string; readonly PackageOwner?: string } | undefined, packageId: string): string {
  return details?.PackageName ? `${details.PackageOwner ?? 'self'}:${details.PackageName}` : `id:${packageId}`;
}

/** The association's identity: the domain (account, Region, name) and the package (owner and name). */
export function associationIdentity(domain: DomainLocation, packageKey: string): string {
  return `${domain.account}/${domain.region}/${domain.domainName}/${packageKey}`;
}

export function formatRecordId(record: OwnershipRecord): string {
  const suffix = record.ownership === 'owned' ? '' : SUFFIXES[record.ownership];
  const was = record.was ? ` was:${parseRecordId(record.was)?.association ?? record.was}${ownershipSuffix(record.was)}` : '';
  return `${record.association}${suffix}${was}`;
}

function ownershipSuffix(physicalId: string): string {
  const ownership = parseRecordId(physicalId)?.ownership ?? 'unverified';
  return ownership === 'owned' ? '' : SUFFIXES[ownership];
}

/** Reads a physical ID written by {@link formatRecordId}; undefined for anything else (another format, a failed Create's marker). */
export function parseRecordId(physicalId: unknown): OwnershipRecord | undefined {
  if (typeof physicalId !== 'string') return undefined;
  const match = /^(\d{12}\/[a-z0-9-]+\/[a-z][a-z0-9-]*\/\S+?)( \((?:kept|adopted|unverified)\))?(?: was:(.+))?$/.exec(physicalId);
  if (!match) return undefined;
  const ownership = (Object.keys(SUFFIXES) as Array<keyof typeof SUFFIXES>).find(o => SUFFIXES[o] === match[2]) ?? 'owned';
  return { association: match[1], ownership, was: match[3] };
}

/** Whether the record says the stack made the association (`owned` or `kept`), so that removing it from the stack takes it off the domain. */
export function isOwned(record: OwnershipRecord | undefined): boolean {
  return record?.ownership === 'owned' || record?.ownership === 'kept';
}
