export { OpenSearchSimulator } from './simulator';
export type { SimulatedPackage } from './simulator';
export type { Duration, OperationDurations, SimulatorOptions } from './options';
export type { ConsumedFault, InjectedError } from './faults';
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
