import { domainNotFound, notFoundError } from './errors';
import { ResolvedOptions } from './options';
import { AssociationRecord, DomainRecord, PackageRecord, PendingOperation } from './records';
import { advance } from './transitions';
import { AssociationConfiguration, ErrorDetails } from './wire-shapes';

/** What an accepted association asks for. */
export interface AssociationStart {
  readonly prerequisites?: string[];
  readonly configuration?: AssociationConfiguration;
  /** When set, the association ends in ASSOCIATION_FAILED with these details. */
  readonly failure?: ErrorDetails;
}

/** Domains, packages and their associations, with lazily advancing in-flight operations. */
export class SimulatorState {
  private readonly domains = new Map<string, DomainRecord>();
  private readonly packages = new Map<string, PackageRecord>();
  /** Domain name, then package ID. */
  private readonly associationsByDomain = new Map<string, Map<string, AssociationRecord>>();

  constructor(
    private readonly options: ResolvedOptions,
    /** Epoch milliseconds. */
    readonly now: () => number = Date.now,
  ) {}

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

  /** The package, or undefined. */
  findPackage(id: string): PackageRecord | undefined {
    return this.packages.get(id);
  }

  /** The package, or ResourceNotFoundException. The real text is not documented; this one is plausible. */
  requirePackage(id: string): PackageRecord {
    const pkg = this.packages.get(id);
    if (!pkg) throw notFoundError(`Package not found: ${id}`);
    return pkg;
  }

  /** Every package in the Region. */
  allPackages(): PackageRecord[] {
    return [...this.packages.values()];
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

  /** Whether any package on the domain is ASSOCIATING or DISSOCIATING. */
  hasOperationInFlight(domain: string): boolean {
    return this.associationsOn(domain).some((record) => record.pending !== undefined);
  }

  /**
   * Lets in-flight operations on the domain finish if they are due. `observe` is true only for
   * ListPackagesForDomain, the one read that counts towards `{ polls }` durations.
   */
  settle(domain: string, observe: boolean): void {
    const onDomain = this.associationsByDomain.get(domain);
    if (!onDomain) return;
    const now = this.now();
    for (const record of [...onDomain.values()]) {
      if (advance(record, (kind) => this.durationOf(kind), now, observe) === 'removed') {
        onDomain.delete(record.packageId);
      }
    }
  }

  /** Puts a package on a domain in ASSOCIATING; callers have already applied the service's rules. */
  startAssociation(domain: string, pkg: PackageRecord, request: AssociationStart): AssociationRecord {
    const existing = this.findAssociation(domain, pkg.id);
    const now = this.now();
    const record: AssociationRecord = {
      domain,
      packageId: pkg.id,
      status: 'ASSOCIATING',
      version: existing?.version ?? pkg.version,
      prerequisites: request.prerequisites,
      configuration: request.configuration,
      lastUpdated: now,
      pending: { kind: 'associate', startedAt: now, observations: 0, targetVersion: pkg.version, failure: request.failure },
    };
    this.putAssociation(record);
    return record;
  }

  /** Puts an existing association in DISSOCIATING; `failure` makes it end in DISSOCIATION_FAILED. */
  startDissociation(record: AssociationRecord, failure?: ErrorDetails): AssociationRecord {
    const now = this.now();
    record.status = 'DISSOCIATING';
    record.errorDetails = undefined;
    record.lastUpdated = now;
    record.pending = { kind: 'dissociate', startedAt: now, observations: 0, targetVersion: record.version, failure };
    return record;
  }

  private durationOf(kind: PendingOperation['kind']) {
    return kind === 'associate' ? this.options.associationDuration : this.options.dissociationDuration;
  }
}
