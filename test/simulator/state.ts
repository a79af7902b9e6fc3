import { domainNotFound, notFoundError } from './errors';
import { Duration, ResolvedOptions } from './options';
import { advancePackage, beginPackageStage } from './package-transitions';
import { availableVersion } from './package-versions';
import { AssociationRecord, DomainRecord, PackageProcessingRequest, PackageRecord, PackageStage } from './records';
import { advance } from './transitions';
import { AssociationConfiguration, ErrorDetails } from './wire-shapes';

/** What an accepted association asks for. */
export interface AssociationStart {
  readonly prerequisites?: string[];
  readonly configuration?: AssociationConfiguration;
  /** When set, the association ends in ASSOCIATION_FAILED with these details. */
  readonly failure?: ErrorDetails;
}

/** The domains, packages and associations of one Region, with lazily advancing in-flight operations. */
export class SimulatorState {
  private readonly domains = new Map<string, DomainRecord>();
  private readonly packages = new Map<string, PackageRecord>();
  /** Domain name, then package ID. */
  private readonly associationsByDomain = new Map<string, Map<string, AssociationRecord>>();

  constructor(
    private readonly options: ResolvedOptions,
    readonly region: string,
    /** Epoch milliseconds. */
    readonly now: () => number = Date.now,
  ) {}

  /** The names of the Region's domains. */
  domainNames(): string[] {
    return [...this.domains.keys()];
  }

  /** Adds or replaces a domain (replacing keeps its associations). */
  putDomain(domain: DomainRecord): void {
    this.domains.set(domain.name, domain);
    if (!this.associationsByDomain.has(domain.name)) this.associationsByDomain.set(domain.name, new Map());
  }

  /** Deletes a domain and everything associated with it; false if there was none. */
  deleteDomain(name: string): boolean {
    this.associationsByDomain.delete(name);
    return this.domains.delete(name);
  }

  /** The domain, or undefined. */
  findDomain(name: string): DomainRecord | undefined {
    return this.domains.get(name);
  }

  /** The domain, or ResourceNotFoundException `Domain not found: NAME`. */
  requireDomain(name: string): DomainRecord {
    const domain = this.domains.get(name);
    if (!domain) throw domainNotFound(name);
    return domain;
  }

  /** Adds or replaces a package. */
  putPackage(pkg: PackageRecord): void {
    this.packages.set(pkg.id, pkg);
  }

  /** The package (with processing that is due settled), or undefined. */
  findPackage(id: string): PackageRecord | undefined {
    const pkg = this.packages.get(id);
    if (pkg) this.settlePackage(pkg, false);
    return pkg;
  }

  /** The package, or ResourceNotFoundException. The real text is not documented; this one is plausible. */
  requirePackage(id: string): PackageRecord {
    const pkg = this.findPackage(id);
    if (!pkg) throw notFoundError(`Package not found: ${id}`);
    return pkg;
  }

  /**
   * The package unless it is missing or DELETED (ResourceNotFoundException). A guess: the service keeps showing
   * DELETED packages to DescribePackages by ID, but treats them as gone everywhere else.
   */
  requireLivePackage(id: string): PackageRecord {
    const pkg = this.requirePackage(id);
    if (pkg.status === 'DELETED') throw notFoundError(`Package not found: ${id}`);
    return pkg;
  }

  /** Every package in the Region (DELETED ones included), in the order they were added. */
  allPackages(): PackageRecord[] {
    const all = [...this.packages.values()];
    for (const pkg of all) this.settlePackage(pkg, false);
    return all;
  }

  /** The packages with this name, in the order they were added (a name can be reused once its package is DELETED). */
  packagesNamed(name: string): PackageRecord[] {
    return this.allPackages().filter((pkg) => pkg.name === name);
  }

  /** Counts one DescribePackages response that includes these packages towards their `{ polls }` durations. */
  observePackages(packages: readonly PackageRecord[]): void {
    for (const pkg of packages) this.settlePackage(pkg, true);
  }

  /** Starts COPYING (for a create or update) or DELETING; callers have already applied the service's rules. */
  beginPackageProcessing(pkg: PackageRecord, stage: Extract<PackageStage, 'COPYING' | 'DELETING'>, request?: PackageProcessingRequest): void {
    beginPackageStage(pkg, stage, this.now(), request);
  }

  /**
   * The domains with an entry for the package, in any status (finished dissociations settled first). `observe`: the
   * read is ListDomainsForPackage, which shows the entries' states as ListPackagesForDomain does, and counts as a poll.
   */
  domainsUsing(packageId: string, observe = false): string[] {
    return [...this.associationsByDomain.keys()].filter((domain) => {
      this.settle(domain, observe);
      return this.findAssociation(domain, packageId) !== undefined;
    });
  }

  /** The association of a package with a domain, or undefined. */
  findAssociation(domain: string, packageId: string): AssociationRecord | undefined {
    return this.associationsByDomain.get(domain)?.get(packageId);
  }

  /** All associations on a domain, ordered by package ID. */
  associationsOn(domain: string): AssociationRecord[] {
    const entries = [...(this.associationsByDomain.get(domain)?.values() ?? [])];
    return entries.sort((a, b) => (a.packageId < b.packageId ? -1 : a.packageId > b.packageId ? 1 : 0));
  }

  /** Stores an association as given, bypassing every rule (for test set-up). */
  putAssociation(record: AssociationRecord): void {
    const onDomain = this.associationsByDomain.get(record.domain);
    if (!onDomain) throw new Error(`Unknown domain ${record.domain}`);
    onDomain.set(record.packageId, record);
  }

  /** Removes an association as it is, bypassing every rule (for an engine upgrade's swap). */
  removeAssociation(domain: string, packageId: string): void {
    this.associationsByDomain.get(domain)?.delete(packageId);
  }

  /** Whether any package on the domain is ASSOCIATING or DISSOCIATING. */
  hasOperationInFlight(domain: string): boolean {
    return this.associationsOn(domain).some((record) => record.pending !== undefined);
  }

  /**
   * Lets in-flight operations on the domain finish if they are due. `observe` is true only for
   * ListPackagesForDomain and ListDomainsForPackage, the reads that count towards `{ polls }` durations.
   */
  settle(domain: string, observe: boolean): void {
    const onDomain = this.associationsByDomain.get(domain);
    if (!onDomain) return;
    const now = this.now();
    for (const record of [...onDomain.values()]) {
      if (advance(record, now, observe) === 'removed') {
        onDomain.delete(record.packageId);
      }
    }
  }

  /**
   * Puts a package on a domain in ASSOCIATING, for `duration` (the domain operation's); callers have already
   * applied the service's rules.
   */
  startAssociation(domain: string, pkg: PackageRecord, request: AssociationStart, duration: Duration): AssociationRecord {
    const existing = this.findAssociation(domain, pkg.id);
    const now = this.now();
    const record: AssociationRecord = {
      domain,
      packageId: pkg.id,
      status: 'ASSOCIATING',
      version: existing?.version ?? availableVersion(pkg),
      prerequisites: request.prerequisites,
      configuration: request.configuration,
      lastUpdated: now,
      pending: { kind: 'associate', startedAt: now, duration, observations: 0, targetVersion: availableVersion(pkg), failure: request.failure },
    };
    this.putAssociation(record);
    return record;
  }

  /** Puts an existing association in DISSOCIATING for `duration`; `failure` makes it end in DISSOCIATION_FAILED. */
  startDissociation(record: AssociationRecord, duration: Duration, failure?: ErrorDetails): AssociationRecord {
    const now = this.now();
    record.status = 'DISSOCIATING';
    record.errorDetails = undefined;
    record.lastUpdated = now;
    record.pending = { kind: 'dissociate', startedAt: now, duration, observations: 0, targetVersion: record.version, failure };
    return record;
  }

  private settlePackage(pkg: PackageRecord, observe: boolean): void {
    advancePackage(pkg, this.options.packageProcessingDuration, this.now(), observe);
  }

}
