export { OpenSearchSimulator } from './simulator';
export type { SimulatedPackage } from './simulator';
export type { Duration, SimulatorOptions } from './options';
export type { InjectedError } from './faults';
export type { RecordedCall } from './call-log';
export type {
  AssociationConfiguration,
  DomainPackageDetails,
  DomainPackageStatus,
  DomainStatus,
  ErrorDetails,
  OperationName,
  PackageConfiguration,
  PackageDetails,
  PackageFailureStatus,
  PackageSource,
  PackageStatus,
  PackageType,
  PackageVersionHistory,
} from './wire-shapes';
export type { StackResourceSummary } from './cloudformation-api';
