import { DomainKey, domainRegion, REGION } from './app-spec';
import { Placement, placementParts } from './ledger';

/** What was changed by hand on the service, outside every stack, and the oracle cannot expect the stacks to know. */
export class OutOfBandChanges {
  /** Domains deleted by hand (never created again). */
  public readonly deletedDomains = new Set<DomainKey>();
  /** Packages of the stacks' Region deleted by hand, by ID. */
  public readonly deletedPackages = new Set<string>();
  /** Associations taken off their domain by hand while a stack declared them. */
  public readonly dissociated = new Set<Placement>();
  /** Packages given a new version by hand, by ID: a domain associated again runs that version until the stack updates the package. */
  public readonly edited = new Set<string>();

  /** Whether the placement's domain or package no longer exists. */
  public gone(where: Placement): boolean {
    const [domain, packageId] = placementParts(where);
    return this.deletedDomains.has(domain) || (domainRegion(domain) === REGION && this.deletedPackages.has(packageId));
  }
}
