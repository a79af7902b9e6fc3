import { DomainLocation, parseDomainArn } from './domain-location';
import { packageRefOf } from './domain-packages-spec';
import { PackageRef } from './package-resolution';
import { PropertyReader } from './property-reader';
import { PACKAGE_ASSOCIATION_RESOURCE_TYPE, PackageAssociationProperties } from '../lib/package-association-properties';
import { checkDomainName, checkTimeoutSeconds } from '../lib/validation';

/** The validated, typed form of an association resource's properties. */
export interface AssociationSpec {
  readonly domain: DomainLocation;
  /** The package's ID, or `aws:<name>` for a package AWS provides, named. */
  readonly ref: PackageRef;
  readonly adoptExisting: boolean;
  readonly waitSeconds: number;
}

/**
 * Reads the properties CloudFormation sent (strings, possibly malformed if the
 * template was written by hand) and throws one error listing every problem.
 */
export function parseAssociationSpec(properties: Record<string, unknown> | undefined): AssociationSpec {
  const reader = new PropertyReader<keyof PackageAssociationProperties>(properties ?? {});
  const domainName = reader.text('DomainName', true, checkDomainName);
  const domainArn = reader.text('DomainArn', true);
  const ref = packageRefOf(reader, '');
  const adoptExisting = reader.text('AdoptExisting', false) === 'true';
  const waitSeconds = Number(reader.text('WaitSeconds', true, (field, value) => checkTimeoutSeconds(field, Number(value))));
  const domain = domainLocation(reader, domainName, domainArn);
  reader.throwIfInvalid(PACKAGE_ASSOCIATION_RESOURCE_TYPE);
  return { domain: domain!, ref: ref!, adoptExisting, waitSeconds };
}

/** The domain's location from its ARN, checked against its name; records a problem when they disagree. */
export function domainLocation(reader: PropertyReader<string>, domainName: string | undefined, domainArn: string | undefined): DomainLocation | undefined {
  if (domainArn === undefined || domainName === undefined) return undefined;
  const location = parseDomainArn('DomainArn', domainArn);
  if (typeof location === 'string') {
    reader.problems.push(location);
    return undefined;
  }
  if (location.domainName !== domainName) reader.problems.push(`DomainArn "${domainArn}" names domain ${location.domainName}, not DomainName "${domainName}".`);
  return location;
}
