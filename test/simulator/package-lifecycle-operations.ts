import { packagesService } from './authorization';
import { ServiceError, alreadyExistsError, conflictError, validationError } from './errors';
import { OperationContext, OperationHandler } from './operation-context';
import { newPackageId } from './package-ids';
import {
  checkEngineVersionFitsType,
  optionalCommitMessage,
  optionalEncryptionKey,
  optionalEngineVersion,
  optionalPackageConfiguration,
  optionalPackageDescription,
  requirePackageName,
  requirePackageSource,
  requirePackageType,
} from './package-request-fields';
import { PackageFailure, PackageRecord } from './records';
import { requireObject, requirePackageId } from './validation';
import { PackageSource } from './wire-shapes';
import { toPackageDetails } from './wire-views';

/** The failures a CreatePackage or UpdatePackage can be scheduled to end in. */
const PROCESSING_FAILURES = ['COPY_FAILED', 'VALIDATION_FAILED'] as const;

/** Whether a CreatePackage, UpdatePackage or DeletePackage is still running on the package. */
function isProcessing(pkg: PackageRecord): boolean {
  return pkg.status === 'COPYING' || pkg.status === 'VALIDATING' || pkg.status === 'DELETING';
}

/**
 * A change to a package while another runs is a conflict with its current state, so ConflictException (409),
 * as for package operations on a domain. The service's behaviour here is not documented.
 */
function operationInProgress(pkg: PackageRecord): ServiceError {
  return conflictError(`Package ${pkg.id} is ${pkg.status}: wait until its current operation completes`);
}

/**
 * AWS-owned (`G…`) packages belong to no customer. Deleting one is reported by users to fail with
 * ValidationException `Operation not allowed. This package cannot be deleted.`; that updating one fails the same
 * way (rather than with AccessDeniedException: IAM grants these actions on `*` only) is an inference.
 */
function rejectAwsOwned(pkg: PackageRecord, action: 'updated' | 'deleted'): void {
  if (pkg.id.startsWith('G')) throw validationError(`Operation not allowed. This package cannot be ${action}.`);
}

/**
 * The service copies the package from S3 with the caller's permissions, so the caller needs s3:GetObject on the
 * object. The error the service then gives is not documented; AccessDeniedException naming the object is a guess.
 */
function checkSourceReadable(context: OperationContext, source: PackageSource): void {
  context.authorize('s3:GetObject', `arn:aws:s3:::${source.S3BucketName}/${source.S3Key}`);
}

/**
 * An encrypted package is copied with a data key the service asks the KMS key for: when the key's policy does not
 * let the service do so, the copy fails (the status and text are guesses: COPY_FAILED, AccessDeniedException).
 */
function encryptionFailure(context: OperationContext, key: string | undefined): PackageFailure | undefined {
  if (!key || context.serviceMay(packagesService(context.state.region), 'kms:GenerateDataKey', key)) return undefined;
  return { status: 'COPY_FAILED', error: { ErrorType: 'AccessDeniedException', ErrorMessage: `${packagesService(context.state.region)} is not allowed to use KMS key ${key}` } };
}

/** `POST /2021-01-01/packages`: the package starts COPYING, then VALIDATING, then becomes AVAILABLE at `v1`. */
export const createPackage: OperationHandler = (request, context) => {
  const body = requireObject(request.body);
  const name = requirePackageName(body.PackageName);
  const type = requirePackageType(body.PackageType);
  const source = requirePackageSource(body.PackageSource);
  const description = optionalPackageDescription(body.PackageDescription);
  const engineVersion = optionalEngineVersion(body.EngineVersion);
  const configuration = optionalPackageConfiguration(body.PackageConfiguration);
  const encryptionKey = optionalEncryptionKey(body.PackageEncryptionOptions);
  checkEngineVersionFitsType(type, engineVersion);
  // Names are unique among the account's packages that are not DELETED, except that a plugin gets a package of the same
  // name for each engine version (the developer guide's engine-upgrade procedure). The error type is the model's, the text a guess.
  const taken = (pkg: PackageRecord) => pkg.status !== 'DELETED' && pkg.owner === context.options.accountId && pkg.engineVersion === engineVersion;
  if (context.state.packagesNamed(name).some(taken)) {
    throw alreadyExistsError(`Package with name ${name} already exists`);
  }
  checkSourceReadable(context, source);
  const now = context.state.now();
  const pkg: PackageRecord = {
    id: newPackageId(type, (id) => context.state.findPackage(id) !== undefined),
    name,
    type,
    status: 'COPYING',
    ...(description !== undefined ? { description } : {}),
    ...(engineVersion !== undefined ? { engineVersion } : {}),
    owner: context.options.accountId,
    ...(encryptionKey !== undefined ? { encryptionKey } : {}),
    createdAt: now,
    lastUpdatedAt: now,
    history: [],
  };
  context.state.putPackage(pkg);
  const failure = encryptionFailure(context, encryptionKey) ?? context.faults.takePackageFailure(name, PROCESSING_FAILURES);
  context.state.beginPackageProcessing(pkg, 'COPYING', { failure, configuration, source });
  return { PackageDetails: toPackageDetails(pkg) };
};

/**
 * `POST /2021-01-01/packages/update`: COPYING, VALIDATING, then AVAILABLE at the next version. Domains keep the
 * version they have until the package is associated again.
 */
export const updatePackage: OperationHandler = (request, context) => {
  const body = requireObject(request.body);
  const packageId = requirePackageId(body.PackageID);
  const source = requirePackageSource(body.PackageSource);
  const description = optionalPackageDescription(body.PackageDescription);
  const commitMessage = optionalCommitMessage(body.CommitMessage);
  const configuration = optionalPackageConfiguration(body.PackageConfiguration);
  const encryption = body.PackageEncryptionOptions === undefined ? undefined : { key: optionalEncryptionKey(body.PackageEncryptionOptions) };
  const pkg = context.state.requireLivePackage(packageId);
  rejectAwsOwned(pkg, 'updated');
  if (isProcessing(pkg)) throw operationInProgress(pkg);
  const retry = context.options.failedPackagesAcceptUpdates && (pkg.status === 'COPY_FAILED' || pkg.status === 'VALIDATION_FAILED');
  if (pkg.status !== 'AVAILABLE' && !retry) {
    // COPY_FAILED, VALIDATION_FAILED, DELETE_FAILED: not a race that resolves by waiting, so ValidationException,
    // like AssociatePackage's "not in a valid state". Whether the service lets a failed package be updated is unknown.
    throw validationError(`Package ${pkg.id} is ${pkg.status}; only AVAILABLE packages can be updated`);
  }
  checkSourceReadable(context, source);
  if (description !== undefined) pkg.description = description;
  if (encryption) pkg.encryptionKey = encryption.key;
  context.state.beginPackageProcessing(pkg, 'COPYING', {
    failure: encryptionFailure(context, pkg.encryptionKey) ?? context.faults.takePackageFailure(pkg.name, PROCESSING_FAILURES),
    commitMessage,
    configuration,
    source,
  });
  return { PackageDetails: toPackageDetails(pkg) };
};

/** `DELETE /2021-01-01/packages/{PackageID}`: DELETING, then DELETED. */
export const deletePackage: OperationHandler = (request, context) => {
  const packageId = requirePackageId(request.params.PackageID);
  const pkg = context.state.requireLivePackage(packageId);
  rejectAwsOwned(pkg, 'deleted');
  if (isProcessing(pkg)) throw operationInProgress(pkg);
  // Any entry on any domain, whatever its status, holds the package. The text is a guess.
  if (context.state.domainsUsing(pkg.id).length > 0) {
    throw conflictError(`Package ${pkg.id} is associated with one or more domains. Dissociate it from every domain before deleting it.`);
  }
  context.state.beginPackageProcessing(pkg, 'DELETING', { failure: context.faults.takePackageFailure(pkg.name, ['DELETE_FAILED']) });
  return { PackageDetails: toPackageDetails(pkg) };
};
