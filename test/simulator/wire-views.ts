import { domainArn } from './authorization';
import { ResolvedOptions } from './options';
import { AssociationRecord, DomainRecord, PackageRecord, PackageVersionRecord } from './records';
import { DomainPackageDetails, DomainStatus, PackageDetails, PackageType, PackageVersionHistory } from './wire-shapes';

/** Epoch milliseconds to the wire's epoch seconds (fractions allowed). */
function epochSeconds(ms: number): number {
  return ms / 1000;
}

/**
 * Where index settings refer to the package. `analyzers/<ID>` for dictionaries is documented; the
 * other types have no documented path, so `plugins/<ID>` is a plausible stand-in.
 */
export function referencePath(type: PackageType, packageId: string): string {
  return type === 'TXT-DICTIONARY' ? `analyzers/${packageId}` : `plugins/${packageId}`;
}

/** An association as `DomainPackageDetails`; ErrorDetails only appears in failed states. */
export function toDomainPackageDetails(record: AssociationRecord, pkg: PackageRecord): DomainPackageDetails {
  const failed = record.status === 'ASSOCIATION_FAILED' || record.status === 'DISSOCIATION_FAILED';
  return {
    PackageID: record.packageId,
    PackageName: pkg.name,
    PackageType: pkg.type,
    LastUpdated: epochSeconds(record.lastUpdated),
    DomainName: record.domain,
    DomainPackageStatus: record.status,
    PackageVersion: record.version,
    ...(record.prerequisites ? { PrerequisitePackageIDList: [...record.prerequisites] } : {}),
    ReferencePath: referencePath(pkg.type, pkg.id),
    ...(failed && record.errorDetails ? { ErrorDetails: { ...record.errorDetails } } : {}),
    ...(record.configuration ? { AssociationConfiguration: structuredClone(record.configuration) } : {}),
  };
}

/** A package as `PackageDetails`; optional members are left out when unset, as the service does. */
export function toPackageDetails(pkg: PackageRecord): PackageDetails {
  return {
    PackageID: pkg.id,
    PackageName: pkg.name,
    PackageType: pkg.type,
    ...(pkg.description !== undefined ? { PackageDescription: pkg.description } : {}),
    PackageStatus: pkg.status,
    CreatedAt: epochSeconds(pkg.createdAt),
    LastUpdatedAt: epochSeconds(pkg.lastUpdatedAt),
    ...(pkg.version !== undefined ? { AvailablePackageVersion: pkg.version } : {}),
    ...(pkg.errorDetails ? { ErrorDetails: { ...pkg.errorDetails } } : {}),
    ...(pkg.engineVersion !== undefined ? { EngineVersion: pkg.engineVersion } : {}),
    ...(pkg.configuration ? { AvailablePackageConfiguration: { ...pkg.configuration } } : {}),
    PackageOwner: pkg.owner,
    ...(pkg.encryptionKey ? { PackageEncryptionOptions: { EncryptionEnabled: true, KmsKeyIdentifier: pkg.encryptionKey } } : {}),
  };
}

/** A version history entry as `PackageVersionHistory`. */
export function toPackageVersionHistory(entry: PackageVersionRecord): PackageVersionHistory {
  return {
    PackageVersion: entry.version,
    ...(entry.commitMessage !== undefined ? { CommitMessage: entry.commitMessage } : {}),
    CreatedAt: epochSeconds(entry.createdAt),
    ...(entry.configuration ? { PackageConfiguration: { ...entry.configuration } } : {}),
  };
}

/** A domain of the Region as `DomainStatus`. `processing` is true while a configuration change (explicit or plugin deployment) runs. */
export function toDomainStatus(domain: DomainRecord, processing: boolean, region: string, options: ResolvedOptions): DomainStatus {
  return {
    DomainId: `${options.accountId}/${domain.name}`,
    DomainName: domain.name,
    ARN: domainArn(region, options.accountId, domain.name),
    Created: true,
    Deleted: false,
    Processing: processing,
    UpgradeProcessing: false,
    DomainProcessingStatus: processing ? 'Modifying' : 'Active',
    EngineVersion: domain.engineVersion,
    ClusterConfig: {},
  };
}
