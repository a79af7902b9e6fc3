import { AssociationConfiguration, DomainPackageStatus, ErrorDetails, PackageStatus, PackageType } from './wire-shapes';

/** A domain the simulator knows. */
export interface DomainRecord {
  readonly name: string;
  readonly engineVersion: string;
  /** Set from outside to simulate a blue/green configuration change. */
  processing: boolean;
}

/** A package in the Region. */
export interface PackageRecord {
  readonly id: string;
  readonly name: string;
  readonly type: PackageType;
  status: PackageStatus;
  /** The `AvailablePackageVersion`. */
  version: string;
  errorDetails?: ErrorDetails;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds. */
  lastUpdatedAt: number;
}

/** An associate or dissociate that has been accepted but not finished. */
export interface PendingOperation {
  readonly kind: 'associate' | 'dissociate';
  /** Epoch milliseconds. */
  readonly startedAt: number;
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
