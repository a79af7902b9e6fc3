import { CallLog, RecordedCall } from './call-log';
import { FaultPlan, InjectedError } from './faults';
import { OperationContext } from './operation-context';
import { SimulatorOptions, resolveOptions } from './options';
import { availableVersion, publishVersion } from './package-versions';
import { PackageRecord } from './records';
import { RunningServer, startHttpServer } from './server';
import { handleRequest } from './service';
import { SimulatorState } from './state';
import { requireDomainName, requirePackageId } from './validation';
import {
  DomainPackageDetails,
  DomainPackageStatus,
  ErrorDetails,
  OperationName,
  PackageDetails,
  PackageFailureStatus,
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
}

/** Stand-in ErrorDetails for a failed association seeded without details. */
const SEEDED_FAILURE: ErrorDetails = { ErrorType: 'SimulatorSeeded', ErrorMessage: 'Failed state seeded by the test' };

/** A local HTTP simulator of the Amazon OpenSearch Service package API (2021-01-01). */
export class OpenSearchSimulator {
  /** Starts a simulator on 127.0.0.1, on a random port. */
  static async start(options?: SimulatorOptions): Promise<OpenSearchSimulator> {
    const resolved = resolveOptions(options);
    const context: OperationContext = { state: new SimulatorState(resolved), faults: new FaultPlan(), options: resolved };
    const log = new CallLog();
    const server = await startHttpServer((request) => handleRequest(request, context, log));
    return new OpenSearchSimulator(context, log, server);
  }

  /** `http://127.0.0.1:PORT`, to pass as the client's `endpoint`. */
  readonly endpoint: string;

  private constructor(
    private readonly context: OperationContext,
    private readonly log: CallLog,
    private readonly server: RunningServer,
  ) {
    this.endpoint = server.endpoint;
  }

  /** Stops the server; calling it again is harmless. */
  stop(): Promise<void> {
    return this.server.close();
  }

  /** Adds a domain; `processing` simulates a configuration change in progress. */
  addDomain(name: string, opts: { engineVersion?: string; processing?: boolean } = {}): void {
    this.context.state.putDomain({
      name: requireDomainName(name),
      engineVersion: opts.engineVersion ?? 'OpenSearch_2.19',
      processing: opts.processing ?? false,
    });
  }

  /** Starts or ends a simulated configuration change on the domain. */
  setDomainProcessing(name: string, processing: boolean): void {
    this.existingDomain(name).processing = processing;
  }

  /** Deletes the domain out of band: later calls get ResourceNotFoundException `Domain not found: NAME`. */
  removeDomain(name: string): void {
    if (!this.context.state.deleteDomain(name)) throw new Error(`Unknown domain ${name}`);
  }

  /** Adds (or replaces) a package in the Region, with its version as the one entry of its version history. */
  addPackage(pkg: SimulatedPackage): void {
    const now = Date.now();
    const record: PackageRecord = {
      id: requirePackageId(pkg.id),
      name: pkg.name,
      type: pkg.type ?? 'TXT-DICTIONARY',
      status: pkg.status ?? 'AVAILABLE',
      errorDetails: pkg.errorDetails,
      createdAt: now,
      lastUpdatedAt: now,
      history: [],
    };
    publishVersion(record, pkg.version ?? 'v1', now);
    this.context.state.putPackage(record);
  }

  /**
   * Changes a package's status, as an UpdatePackage in progress (COPYING, VALIDATING) or a failure would. The
   * status stays until changed again: it ends any processing a CreatePackage, UpdatePackage or DeletePackage started.
   * Making a package that never had a version AVAILABLE gives it `v1`.
   */
  setPackageStatus(id: string, status: PackageStatus, errorDetails?: ErrorDetails): void {
    const pkg = this.existingPackage(id);
    const now = Date.now();
    if (status === 'AVAILABLE' && pkg.version === undefined) publishVersion(pkg, 'v1', now);
    pkg.status = status;
    pkg.errorDetails = errorDetails;
    pkg.processing = undefined;
    pkg.lastUpdatedAt = now;
  }

  /** Changes a package's `AvailablePackageVersion` (and adds it to its history); domains keep the old version until re-associated. */
  setPackageVersion(id: string, version: string): void {
    const pkg = this.existingPackage(id);
    const now = Date.now();
    if (pkg.version !== version) publishVersion(pkg, version, now);
    pkg.lastUpdatedAt = now;
  }

  /**
   * Records an association without going through HTTP, at the package's current version. In-flight statuses
   * start their duration now; failed statuses carry `errorDetails` (a stand-in when omitted).
   */
  associate(domain: string, packageId: string, status: DomainPackageStatus = 'ACTIVE', errorDetails?: ErrorDetails): void {
    this.existingDomain(domain);
    const pkg = this.existingPackage(packageId);
    const version = availableVersion(pkg);
    const now = Date.now();
    const failed = status === 'ASSOCIATION_FAILED' || status === 'DISSOCIATION_FAILED';
    const inFlight = status === 'ASSOCIATING' ? 'associate' : status === 'DISSOCIATING' ? 'dissociate' : undefined;
    this.context.state.putAssociation({
      domain,
      packageId,
      status,
      version,
      errorDetails: failed ? (errorDetails ?? SEEDED_FAILURE) : undefined,
      lastUpdated: now,
      pending: inFlight ? { kind: inFlight, startedAt: now, observations: 0, targetVersion: version } : undefined,
    });
  }

  /** The next accepted AssociatePackage(s) of the pair goes ASSOCIATING, then ASSOCIATION_FAILED with these details. */
  failNextAssociation(domain: string, packageId: string, error: ErrorDetails): void {
    this.context.faults.failNextAssociation(domain, packageId, error);
  }

  /** The next accepted DissociatePackage(s) of the pair goes DISSOCIATING, then DISSOCIATION_FAILED (the entry stays). */
  failNextDissociation(domain: string, packageId: string, error: ErrorDetails): void {
    this.context.faults.failNextDissociation(domain, packageId, error);
  }

  /**
   * The next accepted CreatePackage or UpdatePackage of a package with this name (each call schedules one) goes
   * COPYING (then VALIDATING for VALIDATION_FAILED) and ends in `status` with these ErrorDetails instead of
   * AVAILABLE. A failed update keeps the package's old `AvailablePackageVersion`.
   */
  failNextPackageProcessing(packageName: string, status: PackageFailureStatus, error: ErrorDetails): void {
    if (status !== 'COPY_FAILED' && status !== 'VALIDATION_FAILED') {
      throw new Error(`status must be COPY_FAILED or VALIDATION_FAILED, got ${String(status)}`);
    }
    this.context.faults.failNextPackageProcessing(packageName, { status, error });
  }

  /** Until cleared, dissociating the pair fails at once with ValidationException (400) and `message`. */
  markPackageInUse(domain: string, packageId: string, message?: string): void {
    this.context.faults.markInUse(domain, packageId, message);
  }

  /** Undoes {@link markPackageInUse}. */
  clearPackageInUse(domain: string, packageId: string): void {
    this.context.faults.clearInUse(domain, packageId);
  }

  /** The next `times` calls of the operation fail with the error before touching state. */
  injectError(operation: OperationName, error: InjectedError, times = 1): void {
    this.context.faults.injectError(operation, error, times);
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
  domainPackages(domain: string): DomainPackageDetails[] {
    this.existingDomain(domain);
    this.context.state.settle(domain, false);
    return this.context.state
      .associationsOn(domain)
      .map((record) => toDomainPackageDetails(record, this.context.state.requirePackage(record.packageId)));
  }

  /**
   * Every package as DescribePackages would show it now, DELETED ones included, in the order they were added.
   * Does not count as a DescribePackages observation (`{ ms }` durations that have run out are applied).
   */
  packages(): PackageDetails[] {
    return this.context.state.allPackages().map(toPackageDetails);
  }

  /**
   * The package with this name as DescribePackages would show it now, without counting as an observation: the one
   * that is not DELETED if there is one, else the most recently added DELETED one, else undefined.
   */
  packageByName(name: string): PackageDetails | undefined {
    const named = this.context.state.packagesNamed(name);
    const pkg = named.find((candidate) => candidate.status !== 'DELETED') ?? named[named.length - 1];
    return pkg ? toPackageDetails(pkg) : undefined;
  }

  private existingDomain(name: string) {
    const domain = this.context.state.findDomain(name);
    if (!domain) throw new Error(`Unknown domain ${name}`);
    return domain;
  }

  private existingPackage(id: string) {
    const pkg = this.context.state.findPackage(id);
    if (!pkg) throw new Error(`Unknown package ${id}`);
    return pkg;
  }
}
