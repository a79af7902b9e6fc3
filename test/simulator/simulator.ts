import { CallLog, RecordedCall } from './call-log';
import { FaultPlan, InjectedError } from './faults';
import { SimulatorOptions, resolveOptions } from './options';
import { OperationContext } from './operation-context';
import { RunningServer, startHttpServer } from './server';
import { handleRequest } from './service';
import { SimulatorState } from './state';
import { requireDomainName, requirePackageId } from './validation';
import { toDomainPackageDetails } from './wire-views';
import {
  DomainPackageDetails,
  DomainPackageStatus,
  ErrorDetails,
  OperationName,
  PackageStatus,
  PackageType,
} from './wire-shapes';

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

  /** Adds (or replaces) a package in the Region. */
  addPackage(pkg: SimulatedPackage): void {
    const now = Date.now();
    this.context.state.putPackage({
      id: requirePackageId(pkg.id),
      name: pkg.name,
      type: pkg.type ?? 'TXT-DICTIONARY',
      status: pkg.status ?? 'AVAILABLE',
      version: pkg.version ?? 'v1',
      errorDetails: pkg.errorDetails,
      createdAt: now,
      lastUpdatedAt: now,
    });
  }

  /** Changes a package's status, as an UpdatePackage in progress (COPYING, VALIDATING) or a failure would. */
  setPackageStatus(id: string, status: PackageStatus, errorDetails?: ErrorDetails): void {
    const pkg = this.existingPackage(id);
    pkg.status = status;
    pkg.errorDetails = errorDetails;
    pkg.lastUpdatedAt = Date.now();
  }

  /** Changes a package's `AvailablePackageVersion`; domains keep the old version until re-associated. */
  setPackageVersion(id: string, version: string): void {
    const pkg = this.existingPackage(id);
    pkg.version = version;
    pkg.lastUpdatedAt = Date.now();
  }

  /**
   * Records an association without going through HTTP, at the package's current version. In-flight statuses
   * start their duration now; failed statuses carry `errorDetails` (a stand-in when omitted).
   */
  associate(domain: string, packageId: string, status: DomainPackageStatus = 'ACTIVE', errorDetails?: ErrorDetails): void {
    this.existingDomain(domain);
    const pkg = this.existingPackage(packageId);
    const now = Date.now();
    const failed = status === 'ASSOCIATION_FAILED' || status === 'DISSOCIATION_FAILED';
    const inFlight = status === 'ASSOCIATING' ? 'associate' : status === 'DISSOCIATING' ? 'dissociate' : undefined;
    this.context.state.putAssociation({
      domain,
      packageId,
      status,
      version: pkg.version,
      errorDetails: failed ? (errorDetails ?? SEEDED_FAILURE) : undefined,
      lastUpdated: now,
      pending: inFlight ? { kind: inFlight, startedAt: now, observations: 0, targetVersion: pkg.version } : undefined,
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
