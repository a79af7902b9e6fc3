/** Where a domain lives: what its ARN says. */
export interface DomainLocation {
  readonly region: string;
  readonly account: string;
  readonly domainName: string;
}

const DOMAIN_ARN = /^arn:aws[a-z-]*:es:([a-z0-9-]+):(\d{12}):domain\/([a-z][a-z0-9-]{2,27})$/;

/** The domain's Region, account and name, or a problem naming the field and the value. */
export function parseDomainArn(field: string, arn: string): DomainLocation | string {
  const match = DOMAIN_ARN.exec(arn);
  if (!match) return `${field} "${arn}" is not an OpenSearch domain ARN: expected arn:<partition>:es:<region>:<account>:domain/<name>.`;
  return { region: match[1], account: match[2], domainName: match[3] };
}

/** The account a CloudFormation stack (or any resource whose ARN is given) belongs to. */
export function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

/**
 * Why the handler cannot act on this domain, if it cannot: its functions
 * hold credentials of the stack's account only.
 */
export function crossAccountProblem(domain: DomainLocation, stackId: string): string | undefined {
  const stackAccount = accountOf(stackId);
  if (!stackAccount || stackAccount === domain.account) return undefined;
  return `Domain ${domain.domainName} is in account ${domain.account}, the stack in account ${stackAccount}: `
    + 'this library manages packages only on domains of the stack\'s own account. Deploy the association in a stack of the domain\'s account.';
}
