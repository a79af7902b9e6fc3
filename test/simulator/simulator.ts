import { Authorizer } from './authorization';
import { CallLog, RecordedCall } from './call-log';
import { ServedStack, StackEventLister, StackResourceLister } from './cloudformation-api';
import { upgradeDomain } from './engine-upgrades';
import { ConsumedFault, FaultPlan, InjectedError, InUseAnswer } from './faults';
import { OperationDurations, ResolvedOptions, SimulatorOptions, resolveOptions } from './options';
import { availableVersion, nextVersion, publishVersion } from './package-versions';
import { PackageRecord, PackageVersionRecord } from './records';
import { RunningServer, startHttpServer } from './server';
import { ServiceBackend, handleRequest } from './service';
import { SimulatorState } from './state';
import { requireDomainName, requirePackageId } from './validation';
import {
  DomainPackageDetails,
  DomainPackageStatus,
  ErrorDetails,
  OperationName,
  PackageDetails,
  PackageFailureStatus,
  PackageSource,
  PackageStatus,
  PackageType,
} from './wire-shapes';
import { toDomainPackageDetails, toPackageDetails } from './wire-views';

/** A package to add with {@link OpenSearchSimulator.addPackage}. */
export interface SimulatedPackage {
  readonly id: string;
  readonly name: string;
  /** Default `TXT-DICTIONARY`. */
  readonly type?: PackageType;
  /** Default `AVAILABLE`. */
  readonly status?: PackageStatus;
  /** The `AvailablePackageVersion`; default `v1`. */
  readonly version?: string;
  readonly errorDetails?: ErrorDetails;
  /** When it was created (epoch milliseconds); default now. */
  readonly createdAt?: number;
  readonly description?: string;
  /** The engine version a plugin is built for. */
  readonly engineVersion?: string;
  /** `AWS` for a package AWS provides; default `AWS` for a `G…` ID, else the simulator's account. */
  readonly owner?: string;
}

/** Stand-in ErrorDetails for a failed association seeded without details. */
const SEEDED_FAILURE: ErrorDetails = { ErrorType: 'SimulatorSeeded', ErrorMessage: 'Failed state seeded by the test' };

/** Where a test helper acts; the simulator's default Region (`us-east-1` unless set) when omitted. */
export interface InRegion {
  readonly region?: string;
}

/** The service's state in every Region, the faults tests scheduled, and who may do what. */
class Backend implements ServiceBackend {
  readonly faults = new FaultPlan();
  readonly authorizers: Authorizer[] = [];
  readonly stacks = new Map<string, ServedStack>();
  private readonly regions = new Map<string, SimulatorState>();

  constructor(public options: ResolvedOptions) {}

  stateIn(region: string): SimulatorState {
    let state = this.regions.get(region);
    if (!state) this.regions.set(region, (state = new SimulatorState(this.options, region)));
    return state;
  }
}

/**
 * A local HTTP simulator of the Amazon OpenSearch Service package API (2021-01-01). Each Region has its own
 * domains and packages; a request acts in the Region its SigV4 credential scope names.
 */
export class OpenSearchSimulator {
  /** Starts a simulator on 127.0.0.1, on a random port. */
  static async start(options?: SimulatorOptions): Promise<OpenSearchSimulator> {
    const backend = new Backend(resolveOptions(options));
    const log = new CallLog();
    const server = await startHttpServer((request) => handleRequest(request, backend, log));
    return new OpenSearchSimulator(backend, log, server);
  }

  /** `http://127.0.0.1:PORT`, to pass as the client's `endpoint`. */
  readonly endpoint: string;

  private constructor(
    private readonly backend: Backend,
    private readonly log: CallLog,
    private readonly server: RunningServer,
  ) {
    this.endpoint = server.endpoint;
  }

  /**
   * Adds an IAM authorizer: from now on, every operation (and the S3 read of a package source) is checked with it
   * first. Callers that no authorizer knows are allowed. Returns a function that removes it.
   */
  addAuthorizer(authorizer: Authorizer): () => void {
    this.backend.authorizers.push(authorizer);
    return () => {
      const index = this.backend.authorizers.indexOf(authorizer);
      if (index >= 0) this.backend.authorizers.splice(index, 1);
    };
  }

  /**
   * Answers CloudFormation's ListStackResources and DescribeStackEvents for the stack (by its ARN or name) from now
   * on, with what `resources` and `events` give, at this simulator's endpoint (the SDK's
   * `AWS_ENDPOINT_URL_CLOUDFORMATION`). Returns a function that stops serving it.
   */
  serveStack(stackId: string, resources: StackResourceLister, events: StackEventLister = () => []): () => void {
    this.backend.stacks.set(stackId, { resources, events });
    return () => this.backend.stacks.delete(stackId);
  }

  private state(where: InRegion = {}): SimulatorState {
    return this.backend.stateIn(where.region ?? this.backend.options.region);
  }

  /** Stops the server; calling it again is harmless. */
  stop(): Promise<void> {
    return this.server.close();
  }

  /**
   * Adds a domain; `processing` simulates a configuration change in progress; `refuseBatchCalls` makes
   * AssociatePackages and DissociatePackages answer DisabledOperationException for it.
   */
  addDomain(name: string, opts: { engineVersion?: string; processing?: boolean; refuseBatchCalls?: boolean } & InRegion = {}): void {
    this.state(opts).putDomain({
      name: requireDomainName(name),
      engineVersion: opts.engineVersion ?? 'OpenSearch_2.19',
      processing: opts.processing ?? false,
      blueGreenDeployments: 0,
      refusesBatchCalls: opts.refuseBatchCalls,
    });
  }

  /** Starts or ends a simulated configuration change on the domain. */
  setDomainProcessing(name: string, processing: boolean, where: InRegion = {}): void {
    this.existingDomain(name, where).processing = processing;
  }

  /** How many package operations on the domain ran as a blue/green deployment. */
  blueGreenDeployments(name: string, where: InRegion = {}): number {
    return this.existingDomain(name, where).blueGreenDeployments;
  }

  /**
   * Upgrades the domain's engine, swapping its plugins for the packages of the same name built for the new version
   * (see engine-upgrades.ts); throws, changing nothing, when a plugin has none.
   */
  upgradeDomain(name: string, engineVersion: string, where: InRegion = {}): void {
    upgradeDomain(this.state(where), name, engineVersion);
  }

  /** Deletes the domain out of band: later calls get ResourceNotFoundException `Domain not found: NAME`. */
  removeDomain(name: string, where: InRegion = {}): void {
    if (!this.state(where).deleteDomain(name)) throw new Error(`Unknown domain ${name}`);
  }

  /**
   * Takes the package off the domain out of band, as a DissociatePackage made by hand and waited for would have
   * (the licence and configuration packages that name a plugin as their prerequisite leave with it).
   */
  dissociate(domain: string, packageId: string, where: InRegion = {}): void {
    this.existingDomain(domain, where);
    const state = this.state(where);
    if (!state.findAssociation(domain, packageId)) throw new Error(`Package ${packageId} is not associated with ${domain}`);
    for (const record of state.associationsOn(domain)) {
      if (record.packageId === packageId || (record.prerequisites ?? []).includes(packageId)) state.removeAssociation(domain, record.packageId);
    }
  }

  /**
   * Deletes the package out of band, as a user would: dissociated from every domain of its Region (see
   * {@link dissociate}), then deleted. A package AWS provides cannot be deleted.
   */
  deletePackage(id: string, where: InRegion = {}): void {
    const pkg = this.existingPackage(id, where);
    if (pkg.owner !== this.backend.options.accountId) throw new Error(`Package ${id} belongs to ${pkg.owner}: it cannot be deleted`);
    for (const domain of this.state(where).domainsUsing(id)) this.dissociate(domain, id, where);
    this.setPackageStatus(id, 'DELETED', undefined, where);
  }

  /**
   * Publishes a new version of the package out of band, as an UpdatePackage made by hand and waited for would have:
   * the next version, read from `source`, with the commit message given. Domains keep the version they run.
   */
  updatePackage(id: string, source: PackageSource, commitMessage?: string, where: InRegion = {}): string {
    const pkg = this.existingPackage(id, where);
    if (pkg.status !== 'AVAILABLE') throw new Error(`Package ${id} is ${pkg.status}: only an AVAILABLE package can be updated`);
    const now = Date.now();
    const version = nextVersion(pkg);
    publishVersion(pkg, version, now, { source, commitMessage });
    pkg.lastUpdatedAt = now;
    return version;
  }

  /**
   * From now on, association and dissociation operations (and blue/green deployments) last this long; operations
   * already in flight keep the duration they started with. A service that turns slow, then fast again.
   */
  setOperationDurations(durations: OperationDurations): void {
    this.backend.options = resolveOptions({ ...this.backend.options, ...durations });
  }

  /** Every scheduled fault a request has taken so far (association, dissociation and package failures, in-use refusals, injected errors), in order. */
  get consumedFaults(): ReadonlyArray<ConsumedFault> {
    return this.backend.faults.consumed;
  }

  /** Adds (or replaces) a package in the Region, with its version as the one entry of its version history. */
  addPackage(pkg: SimulatedPackage & InRegion): void {
    const now = Date.now();
    const record: PackageRecord = {
      id: requirePackageId(pkg.id),
      name: pkg.name,
      type: pkg.type ?? 'TXT-DICTIONARY',
      status: pkg.status ?? 'AVAILABLE',
      errorDetails: pkg.errorDetails,
      ...(pkg.description !== undefined ? { description: pkg.description } : {}),
      ...(pkg.engineVersion !== undefined ? { engineVersion: pkg.engineVersion } : {}),
      owner: pkg.owner ?? (pkg.id.startsWith('G') ? 'AWS' : this.backend.options.accountId),
      createdAt: pkg.createdAt ?? now,
      lastUpdatedAt: now,
      history: [],
    };
    publishVersion(record, pkg.version ?? 'v1', now);
    this.state(pkg).putPackage(record);
  }

  /**
   * Changes a package's status, as an UpdatePackage in progress (COPYING, VALIDATING) or a failure would. The
   * status stays until changed again: it ends any processing a CreatePackage, UpdatePackage or DeletePackage started.
   * Making a package that never had a version AVAILABLE gives it `v1`.
   */
  setPackageStatus(id: string, status: PackageStatus, errorDetails?: ErrorDetails, where: InRegion = {}): void {
    const pkg = this.existingPackage(id, where);
    const now = Date.now();
    if (status === 'AVAILABLE' && pkg.version === undefined) publishVersion(pkg, 'v1', now);
    pkg.status = status;
    pkg.errorDetails = errorDetails;
    pkg.processing = undefined;
    pkg.lastUpdatedAt = now;
  }

  /** Changes a package's `AvailablePackageVersion` (and adds it to its history); domains keep the old version until re-associated. */
  setPackageVersion(id: string, version: string, where: InRegion = {}): void {
    const pkg = this.existingPackage(id, where);
    const now = Date.now();
    if (pkg.version !== version) publishVersion(pkg, version, now);
    pkg.lastUpdatedAt = now;
  }

  /**
   * Records an association without going through HTTP, at the package's current version. In-flight statuses
   * start their duration now; failed statuses carry `errorDetails` (a stand-in when omitted).
   */
  associate(domain: string, packageId: string, status: DomainPackageStatus = 'ACTIVE', errorDetails?: ErrorDetails, where: InRegion = {}): void {
    this.existingDomain(domain, where);
    const pkg = this.existingPackage(packageId, where);
    const version = availableVersion(pkg);
    const now = Date.now();
    const failed = status === 'ASSOCIATION_FAILED' || status === 'DISSOCIATION_FAILED';
    const inFlight = status === 'ASSOCIATING' ? 'associate' : status === 'DISSOCIATING' ? 'dissociate' : undefined;
    const duration = inFlight === 'associate' ? this.backend.options.associationDuration : this.backend.options.dissociationDuration;
    this.state(where).putAssociation({
      domain,
      packageId,
      status,
      version,
      errorDetails: failed ? (errorDetails ?? SEEDED_FAILURE) : undefined,
      lastUpdated: now,
      pending: inFlight ? { kind: inFlight, startedAt: now, duration, observations: 0, targetVersion: version } : undefined,
    });
  }

  /**
   * The next accepted association of the package with the domain goes ASSOCIATING, then ASSOCIATION_FAILED with
   * these details. The package is named by its ID, or by its name (for a package not created yet).
   */
  failNextAssociation(domain: string, packageIdOrName: string, error: ErrorDetails): void {
    this.backend.faults.failNextAssociation(domain, packageIdOrName, error);
  }

  /** The next accepted DissociatePackage(s) of the pair goes DISSOCIATING, then DISSOCIATION_FAILED (the entry stays). */
  failNextDissociation(domain: string, packageId: string, error: ErrorDetails): void {
    this.backend.faults.failNextDissociation(domain, packageId, error);
  }

  /**
   * The next accepted CreatePackage or UpdatePackage of a package with this name (each call schedules one) goes
   * COPYING (then VALIDATING for VALIDATION_FAILED) and ends in `status` with these ErrorDetails instead of
   * AVAILABLE. A failed update keeps the package's old `AvailablePackageVersion`. With DELETE_FAILED, the next
   * accepted DeletePackage of the package goes DELETING, then DELETE_FAILED instead of DELETED.
   */
  failNextPackageProcessing(packageName: string, status: PackageFailureStatus, error: ErrorDetails): void {
    if (!['COPY_FAILED', 'VALIDATION_FAILED', 'DELETE_FAILED'].includes(status)) {
      throw new Error(`status must be COPY_FAILED, VALIDATION_FAILED or DELETE_FAILED, got ${String(status)}`);
    }
    this.backend.faults.failNextPackageProcessing(packageName, { status, error });
  }

  /**
   * Until cleared, dissociating the pair fails at once, as for a package an index still uses: ValidationException
   * (400) with a plausible text unless `answer` says otherwise.
   */
  markPackageInUse(domain: string, packageId: string, answer?: Partial<InUseAnswer>, where: InRegion = {}): void {
    this.backend.faults.markInUse(where.region ?? this.backend.options.region, domain, packageId, answer);
  }

  /** Undoes {@link markPackageInUse}. */
  clearPackageInUse(domain: string, packageId: string, where: InRegion = {}): void {
    this.backend.faults.clearInUse(where.region ?? this.backend.options.region, domain, packageId);
  }

  /** Drops every scheduled failure not yet taken (association, dissociation, package processing, injected errors). */
  clearScheduledFaults(): void {
    this.backend.faults.clearScheduled();
  }

  /** The next `times` calls of the operation fail with the error before touching state. */
  injectError(operation: OperationName, error: InjectedError, times = 1): void {
    this.backend.faults.injectError(operation, error, times);
  }

  /** Every routed request so far, injected failures included. */
  get calls(): ReadonlyArray<RecordedCall> {
    return this.log.calls;
  }

  /** How many calls of the operation arrived. */
  callCount(operation: OperationName): number {
    return this.log.count(operation);
  }

  /** The domain's packages as the wire would show them now; does not count as a ListPackagesForDomain observation. */
  domainPackages(domain: string, where: InRegion = {}): DomainPackageDetails[] {
    this.existingDomain(domain, where);
    const state = this.state(where);
    state.settle(domain, false);
    return state.associationsOn(domain).map((record) => toDomainPackageDetails(record, state.requirePackage(record.packageId)));
  }

  /** The domains of the Region, by name. */
  domainNames(where: InRegion = {}): string[] {
    return this.state(where).domainNames();
  }

  /**
   * Every package as DescribePackages would show it now, DELETED ones included, in the order they were added.
   * Does not count as a DescribePackages observation (`{ ms }` durations that have run out are applied).
   */
  packages(where: InRegion = {}): PackageDetails[] {
    return this.state(where).allPackages().map(toPackageDetails);
  }

  /** Every version the package has published, oldest first, with the S3 source each was read from. */
  packageVersions(id: string, where: InRegion = {}): ReadonlyArray<PackageVersionRecord> {
    return this.existingPackage(id, where).history;
  }

  /**
   * The package with this name as DescribePackages would show it now, without counting as an observation: the one
   * that is not DELETED if there is one, else the most recently added DELETED one, else undefined.
   */
  packageByName(name: string, where: InRegion = {}): PackageDetails | undefined {
    const named = this.state(where).packagesNamed(name);
    const pkg = named.find((candidate) => candidate.status !== 'DELETED') ?? named[named.length - 1];
    return pkg ? toPackageDetails(pkg) : undefined;
  }

  private existingDomain(name: string, where: InRegion) {
    const domain = this.state(where).findDomain(name);
    if (!domain) throw new Error(`Unknown domain ${name}`);
    return domain;
  }

  private existingPackage(id: string, where: InRegion) {
    const pkg = this.state(where).findPackage(id);
    if (!pkg) throw new Error(`Unknown package ${id}`);
    return pkg;
  }
}
