import { packagesService } from './authorization';
import { ServiceError, conflictError, validationError } from './errors';
import { OperationContext, OperationHandler } from './operation-context';
import { Duration } from './options';
import { AssociationRecord, DomainRecord, PackageRecord } from './records';
import {
  optionalAssociationConfiguration,
  optionalPackageIdList,
  requireDomainName,
  requireObject,
  requirePackageId,
} from './validation';
import { AssociationConfiguration, DomainPackageDetails, ErrorDetails, PackageType } from './wire-shapes';
import { toDomainPackageDetails } from './wire-views';

interface AssociationRequest {
  readonly packageId: string;
  readonly prerequisites?: string[];
  readonly configuration?: AssociationConfiguration;
}

function operationInProgress(domain: string): ServiceError {
  return conflictError(`Another package operation is in progress on domain ${domain}`);
}

/** The domain, with due operations settled so rules see current state. */
function loadDomain(context: OperationContext, name: string): DomainRecord {
  const domain = context.state.requireDomain(name);
  context.state.settle(name, false);
  return domain;
}

/**
 * The refusal of a batch call by a domain that does not support it. The text is not documented: the API reference
 * lists DisabledOperationException ("an unsupported operation") for AssociatePackages and DissociatePackages.
 */
function checkBatchCallsAccepted(domain: DomainRecord, operation: string): void {
  if (domain.refusesBatchCalls) throw new ServiceError('DisabledOperationException', `${operation} is not supported for domain ${domain.name}.`);
}

/** Rules that apply to the domain as a whole, once per call. */
function checkDomainAcceptsChanges(context: OperationContext, domain: DomainRecord): void {
  if (domain.processing) {
    // Not documented for package operations; users report conflicts while a configuration change runs.
    throw conflictError(`Domain ${domain.name} is processing a configuration change. Try again once it is Active.`);
  }
  if (context.options.oneOperationPerDomain && context.state.hasOperationInFlight(domain.name)) {
    throw operationInProgress(domain.name);
  }
}

/** Package types whose association or dissociation makes the domain run a blue/green deployment. */
const PLUGIN_TYPES: ReadonlySet<PackageType> = new Set<PackageType>(['ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG']);

/** Whether associating or dissociating a package of this type is a blue/green deployment. */
export function deploysBlueGreen(type: PackageType): boolean {
  return PLUGIN_TYPES.has(type);
}

/**
 * How long one association or dissociation operation on a domain lasts: every entry of one call starts and ends
 * together. An operation that involves a plugin is a blue/green deployment, and is counted on the domain.
 */
function operationDuration(context: OperationContext, domain: DomainRecord, kind: 'associate' | 'dissociate', types: PackageType[]): Duration {
  const plain = kind === 'associate' ? context.options.associationDuration : context.options.dissociationDuration;
  if (!types.some(deploysBlueGreen)) return plain;
  domain.blueGreenDeployments += 1;
  return context.options.blueGreenDuration ?? plain;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return [...(a ?? [])].sort().join() === [...(b ?? [])].sort().join();
}

/** Whether an association request asks for the prerequisites and key-store option the entry already has. */
function sameConfiguration(existing: AssociationRecord, request: AssociationRequest): boolean {
  const option = (configuration: AssociationConfiguration | undefined) => JSON.stringify(configuration?.KeyStoreAccessOption ?? null);
  return sameList(existing.prerequisites, request.prerequisites) && option(existing.configuration) === option(request.configuration);
}

function checkAssociation(context: OperationContext, domain: DomainRecord, request: AssociationRequest): PackageRecord {
  const pkg = context.state.requirePackage(request.packageId);
  for (const prerequisite of request.prerequisites ?? []) context.state.requirePackage(prerequisite);
  if (pkg.status !== 'AVAILABLE') throw validationError('Package is not in a valid state for association');
  // A plugin runs only on the engine version it is built for (the text is a guess).
  if (pkg.engineVersion !== undefined && pkg.engineVersion !== domain.engineVersion) {
    throw validationError(`Package ${pkg.id} is built for ${pkg.engineVersion} and cannot be associated with a domain running ${domain.engineVersion}`);
  }
  const existing = context.state.findAssociation(domain.name, pkg.id);
  if (existing?.pending) throw operationInProgress(domain.name);
  // Only ACTIVE at the current version is "desired"; an older version is re-associated (that is how updates apply).
  // Whether new prerequisites or a new key-store option count as a new desired state is not documented.
  if (existing?.status === 'ACTIVE' && existing.version === pkg.version
    && (context.options.configurationChangeIsDesiredState || sameConfiguration(existing, request))) {
    throw conflictError('Package is already in desired state');
  }
  return pkg;
}

function checkDissociation(context: OperationContext, domain: DomainRecord, packageId: string): AssociationRecord {
  context.state.requirePackage(packageId);
  const existing = context.state.findAssociation(domain.name, packageId);
  if (!existing) throw validationError('Package is not associated to this domain');
  const inUse = context.faults.inUse(context.state.region, domain.name, packageId);
  if (inUse !== undefined) throw new ServiceError(inUse.type, inUse.message);
  if (existing.pending) throw operationInProgress(domain.name);
  return existing;
}

/**
 * An encrypted package is installed on the domain with its KMS key: when the key's policy does not let the service
 * decrypt, the association fails (the error type and text are guesses).
 */
function keyFailure(context: OperationContext, pkg: PackageRecord): ErrorDetails | undefined {
  if (!pkg.encryptionKey || context.serviceMay(packagesService(context.state.region), 'kms:Decrypt', pkg.encryptionKey)) return undefined;
  return { ErrorType: 'AccessDeniedException', ErrorMessage: `${packagesService(context.state.region)} is not allowed to decrypt package ${pkg.id} with KMS key ${pkg.encryptionKey}` };
}

function startAssociations(context: OperationContext, domain: DomainRecord, plan: ReadonlyArray<[AssociationRequest, PackageRecord]>): DomainPackageDetails[] {
  const duration = operationDuration(context, domain, 'associate', plan.map(([, pkg]) => pkg.type));
  return plan.map(([request, pkg]) => {
    const failure = context.faults.takeAssociationFailure(domain.name, pkg.id, pkg.name) ?? keyFailure(context, pkg);
    const record = context.state.startAssociation(domain.name, pkg, { ...request, failure }, duration);
    return toDomainPackageDetails(record, pkg);
  });
}

/**
 * The entries a dissociation takes off the domain: those asked for, plus the licence and configuration packages
 * of a plugin among them (the developer guide: dissociating a plugin also removes them), in the same operation.
 */
function withPluginCompanions(context: OperationContext, domain: DomainRecord, plan: readonly AssociationRecord[]): AssociationRecord[] {
  const leaving = new Set(plan.map((record) => record.packageId));
  const companions = context.state.associationsOn(domain.name).filter((record) =>
    !leaving.has(record.packageId) && !record.pending && (record.prerequisites ?? []).some((id) => leaving.has(id)));
  return [...plan, ...companions];
}

function startDissociations(context: OperationContext, domain: DomainRecord, plan: ReadonlyArray<AssociationRecord>): DomainPackageDetails[] {
  const leaving = withPluginCompanions(context, domain, plan);
  const duration = operationDuration(context, domain, 'dissociate', leaving.map((record) => context.state.requirePackage(record.packageId).type));
  return leaving.map((existing) => {
    const failure = context.faults.takeDissociationFailure(existing.domain, existing.packageId);
    const record = context.state.startDissociation(existing, duration, failure);
    return toDomainPackageDetails(record, context.state.requirePackage(record.packageId));
  }).slice(0, plan.length);
}

function rejectDuplicates(ids: readonly string[]): void {
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw validationError(`Duplicate package ID in PackageList: ${duplicate}`);
}

/** `POST /2021-01-01/packages/associate/{PackageID}/{DomainName}` */
export const associatePackage: OperationHandler = (request, context) => {
  const packageId = requirePackageId(request.params.PackageID);
  const domainName = requireDomainName(request.params.DomainName);
  const body = requireObject(request.body);
  const association: AssociationRequest = {
    packageId,
    prerequisites: optionalPackageIdList(body.PrerequisitePackageIDList, 'prerequisitePackageIDList'),
    configuration: optionalAssociationConfiguration(body.AssociationConfiguration),
  };
  const domain = loadDomain(context, domainName);
  const pkg = checkAssociation(context, domain, association);
  checkDomainAcceptsChanges(context, domain);
  const [details] = startAssociations(context, domain, [[association, pkg]]);
  return { DomainPackageDetails: details };
};

/** `POST /2021-01-01/packages/associateMultiple`: all packages are accepted, or none. */
export const associatePackages: OperationHandler = (request, context) => {
  const body = requireObject(request.body);
  const domainName = requireDomainName(body.DomainName);
  if (!Array.isArray(body.PackageList) || body.PackageList.length === 0) {
    throw validationError("1 validation error detected: Value at 'packageList' failed to satisfy constraint: Member must not be empty");
  }
  const associations = body.PackageList.map((item: unknown, index: number): AssociationRequest => {
    const member = `packageList.${index + 1}.member`;
    const fields = requireObject(item, member);
    return {
      packageId: requirePackageId(fields.PackageID, `${member}.packageID`),
      prerequisites: optionalPackageIdList(fields.PrerequisitePackageIDList, `${member}.prerequisitePackageIDList`),
      configuration: optionalAssociationConfiguration(fields.AssociationConfiguration, `${member}.associationConfiguration`),
    };
  });
  rejectDuplicates(associations.map((association) => association.packageId));
  const domain = loadDomain(context, domainName);
  checkBatchCallsAccepted(domain, 'AssociatePackages');
  const plan = associations.map((association): [AssociationRequest, PackageRecord] => [
    association,
    checkAssociation(context, domain, association),
  ]);
  checkDomainAcceptsChanges(context, domain);
  return { DomainPackageDetailsList: startAssociations(context, domain, plan) };
};

/** `POST /2021-01-01/packages/dissociate/{PackageID}/{DomainName}` */
export const dissociatePackage: OperationHandler = (request, context) => {
  const packageId = requirePackageId(request.params.PackageID);
  const domainName = requireDomainName(request.params.DomainName);
  const domain = loadDomain(context, domainName);
  const existing = checkDissociation(context, domain, packageId);
  checkDomainAcceptsChanges(context, domain);
  const [details] = startDissociations(context, domain, [existing]);
  return { DomainPackageDetails: details };
};

/** `POST /2021-01-01/packages/dissociateMultiple`: all packages are accepted, or none. */
export const dissociatePackages: OperationHandler = (request, context) => {
  const body = requireObject(request.body);
  const domainName = requireDomainName(body.DomainName);
  const packageIds = optionalPackageIdList(body.PackageList, 'packageList');
  if (!packageIds || packageIds.length === 0) {
    throw validationError("1 validation error detected: Value at 'packageList' failed to satisfy constraint: Member must not be empty");
  }
  rejectDuplicates(packageIds);
  const domain = loadDomain(context, domainName);
  checkBatchCallsAccepted(domain, 'DissociatePackages');
  const plan = packageIds.map((packageId) => checkDissociation(context, domain, packageId));
  checkDomainAcceptsChanges(context, domain);
  return { DomainPackageDetailsList: startDissociations(context, domain, plan) };
};
