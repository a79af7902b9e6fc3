import { Duration } from './options';
import {
  AssociationConfiguration,
  DomainPackageStatus,
  ErrorDetails,
  PackageConfiguration,
  PackageFailureStatus,
  PackageSource,
  PackageStatus,
  PackageType,
} from './wire-shapes';

/** A domain the simulator knows. */
export interface DomainRecord {
  readonly name: string;
  engineVersion: string;
  /** Set from outside to simulate a blue/green configuration change. */
  processing: boolean;
  /** How many package operations on the domain ran as a blue/green deployment (they involved a plugin). */
  blueGreenDeployments: number;
  /**
   * Whether AssociatePackages and DissociatePackages are refused for the domain with DisabledOperationException
   * (the API documents that error for them, without saying for which domains, engine versions or Regions).
   */
  readonly refusesBatchCalls?: boolean;
}

/** A package in the Region. */
export interface PackageRecord {
  readonly id: string;
  readonly name: string;
  readonly type: PackageType;
  status: PackageStatus;
  /** The `AvailablePackageVersion`; undefined until the package first becomes AVAILABLE. */
  version?: string;
  errorDetails?: ErrorDetails;
  description?: string;
  readonly engineVersion?: string;
  /** `AWS` for the packages AWS provides, else the account that created it. */
  readonly owner: string;
  /** The KMS key the package is encrypted with, when it is. */
  encryptionKey?: string;
  /** The configuration of the available version. */
  configuration?: PackageConfiguration;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds. */
  lastUpdatedAt: number;
  /** Every version that became AVAILABLE, oldest first. */
  readonly history: PackageVersionRecord[];
  /** Set while a CreatePackage, UpdatePackage or DeletePackage is COPYING, VALIDATING or DELETING. */
  processing?: PackageProcessing;
}

/** One version of a package, as GetPackageVersionHistory lists it. */
export interface PackageVersionRecord {
  readonly version: string;
  readonly commitMessage?: string;
  /** Where the version's content was read from (not on the wire: for tests to check which file a domain runs). */
  readonly source?: PackageSource;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly configuration?: PackageConfiguration;
}

/** A scheduled failure of a package's copy or validation. */
export interface PackageFailure {
  readonly status: PackageFailureStatus;
  readonly error: ErrorDetails;
}

/** A stage of package processing; the package's status while it lasts. */
export type PackageStage = 'COPYING' | 'VALIDATING' | 'DELETING';

/** What the caller of CreatePackage or UpdatePackage asked for, carried through COPYING and VALIDATING. */
export interface PackageProcessingRequest {
  /** When set, processing ends in this failed status instead of AVAILABLE. */
  readonly failure?: PackageFailure;
  readonly source?: PackageSource;
  readonly commitMessage?: string;
  readonly configuration?: PackageConfiguration;
}

/** A package operation that has been accepted but not finished. */
export interface PackageProcessing extends PackageProcessingRequest {
  readonly stage: PackageStage;
  /** Epoch milliseconds when this stage began. */
  readonly startedAt: number;
  /** How many DescribePackages responses have shown the package in this stage. */
  observations: number;
}

/** An associate or dissociate that has been accepted but not finished. */
export interface PendingOperation {
  readonly kind: 'associate' | 'dissociate';
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** How long the domain operation it belongs to lasts (every entry of one operation finishes together). */
  readonly duration: Duration;
  /** How many observing ListPackagesForDomain calls have seen it in flight. */
  observations: number;
  /** The package version an association applies once ACTIVE. */
  readonly targetVersion: string;
  /** Set when a failure was scheduled for this operation. */
  readonly failure?: ErrorDetails;
}

/** One package on one domain. */
export interface AssociationRecord {
  readonly domain: string;
  readonly packageId: string;
  status: DomainPackageStatus;
  /** The `PackageVersion` the domain currently shows. */
  version: string;
  prerequisites?: string[];
  configuration?: AssociationConfiguration;
  errorDetails?: ErrorDetails;
  /** Epoch milliseconds. */
  lastUpdated: number;
  pending?: PendingOperation;
}
