import { ServiceError } from './errors';
import { Caller } from './signing';
import { OperationName } from './wire-shapes';

/** One IAM authorization question: may the caller perform the action on the resource? */
export interface AuthorizationRequest {
  readonly caller: Caller;
  /** e.g. `es:AssociatePackages`, `s3:GetObject`. */
  readonly action: string;
  /** The resource's ARN, or `*` for actions IAM gives no resource type. */
  readonly resource: string;
}

/**
 * Decides authorization requests for the callers it knows. Returns `true` (allowed), `false` (denied), or
 * `undefined` when the caller is not one of its principals (another authorizer, or none, decides).
 */
export type Authorizer = (request: AuthorizationRequest) => boolean | undefined;

/** The service principal that encrypts and decrypts a Region's packages with a customer's KMS key. */
export function packagesService(region: string): string {
  return `custom-packages.${region}.amazonaws.com`;
}

/** The operations whose IAM resource is the domain (Service Authorization Reference); every other one is `*`. */
const DOMAIN_SCOPED: ReadonlySet<OperationName> = new Set<OperationName>([
  'AssociatePackage', 'AssociatePackages', 'DissociatePackage', 'DissociatePackages', 'ListPackagesForDomain', 'DescribeDomain',
]);

/** Whether the operation's IAM resource is the domain it names. */
export function isDomainScoped(operation: OperationName): boolean {
  return DOMAIN_SCOPED.has(operation);
}

/** A domain's ARN. */
export function domainArn(region: string, accountId: string, domainName: string): string {
  return `arn:aws:es:${region}:${accountId}:domain/${domainName}`;
}

/** What IAM answers when no identity-based policy allows the action. */
export function accessDenied({ caller, action, resource }: AuthorizationRequest): ServiceError {
  return new ServiceError(
    'AccessDeniedException',
    `User: ${caller.accessKeyId} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}

/** Asks each authorizer in turn; the first that knows the caller decides. Callers nobody knows are allowed. */
export function authorize(authorizers: readonly Authorizer[], request: AuthorizationRequest): void {
  for (const authorizer of authorizers) {
    const verdict = authorizer(request);
    if (verdict === undefined) continue;
    if (!verdict) throw accessDenied(request);
    return;
  }
}
