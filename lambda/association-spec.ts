import { PropertyReader } from './property-reader';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE, PackageAssociationProperties } from '../lib/package-association-properties';
import { checkDomainName, checkPackageId, checkRoleArn, checkTimeoutSeconds } from '../lib/validation';

/** The validated, typed form of the resource properties. */
export interface AssociationSpec {
  readonly domainName: string;
  readonly packageId: string;
  readonly prerequisitePackageIds: string[];
  readonly keyAccessRoleArn?: string;
  readonly packageVersion?: string;
  readonly waitSeconds: number;
}

/**
 * Reads the properties CloudFormation sent (strings, possibly malformed if the
 * template was written by hand) and throws one error listing every problem.
 */
export function parseAssociationSpec(properties: Record<string, unknown> | undefined): AssociationSpec {
  const reader = new PropertyReader<keyof PackageAssociationProperties>(properties ?? {});
  const domainName = reader.text('DomainName', true, checkDomainName);
  const packageId = reader.text('PackageID', true, checkPackageId);
  const keyAccessRoleArn = reader.text('KeyAccessRoleArn', false, checkRoleArn);
  const packageVersion = reader.text('PackageVersion', false);
  const waitSeconds = Number(reader.text('WaitSeconds', true, (field, value) => checkTimeoutSeconds(field, Number(value))));

  const prerequisites = properties?.PrerequisitePackageIDList ?? [];
  const prerequisitePackageIds: string[] = [];
  if (!Array.isArray(prerequisites)) {
    reader.problems.push(`PrerequisitePackageIDList must be a list of package IDs, got ${JSON.stringify(prerequisites)}.`);
  } else {
    prerequisites.forEach((id, i) => {
      const field = `PrerequisitePackageIDList[${i}]`;
      if (typeof id !== 'string') reader.problems.push(`${field} must be a string, got ${JSON.stringify(id)}.`);
      else if (reader.valid(field, id, checkPackageId)) prerequisitePackageIds.push(id);
    });
  }
  reader.throwIfInvalid(PACKAGE_ASSOCIATION_RESOURCE_TYPE);
  return { domainName: domainName!, packageId: packageId!, prerequisitePackageIds, keyAccessRoleArn, packageVersion, waitSeconds };
}

/** Identifies the association; a new value on update means replacement. */
export function physicalIdOf(spec: AssociationSpec): string {
  return `${spec.domainName}/${spec.packageId}`;
}

/** Whether an in-place update must call AssociatePackage again. */
export function needsReassociation(before: AssociationSpec, after: AssociationSpec): boolean {
  return before.packageVersion !== after.packageVersion
    || before.keyAccessRoleArn !== after.keyAccessRoleArn
    || [...before.prerequisitePackageIds].sort().join() !== [...after.prerequisitePackageIds].sort().join();
}
