import { createHash } from 'crypto';
import { DeployedResource } from './deployment-records';
import type { AuthorizationRequest } from '../simulator/authorization';

/*
 * IAM, locally: each Lambda function signs its calls with credentials of its
 * execution role, and a call is allowed when an identity-based policy of that
 * role, as the stack holds it at that moment, allows the action on the
 * resource. Policies changed in the update phase are in force at once; a policy
 * the template dropped stays in force until the cleanup phase deletes it, as in
 * CloudFormation. Conditions are not evaluated (the handler's statements have none).
 */

/** The access key id a role's sessions sign with, derived from the role ARN (repeatable, unique per role). */
export function accessKeyIdFor(roleArn: string): string {
  return `ASIA${createHash('sha256').update(roleArn).digest('hex').slice(0, 16).toUpperCase()}`;
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: { readonly Service?: string | string[] } | string;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions ignore case. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const regex = pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
}

function matches(statement: Statement, action: string, resource: string): boolean {
  return asList(statement.Action).some(pattern => wildcardMatch(pattern, action, true))
    && asList(statement.Resource).some(pattern => wildcardMatch(pattern, resource, false));
}

/** The statements of every identity-based policy the stack attaches to the role (inline in the role, or AWS::IAM::Policy). */
function statementsOf(roleName: string, resources: Iterable<DeployedResource>): Statement[] {
  const statements: Statement[] = [];
  const add = (document: unknown) => {
    const statement = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
    if (statement) statements.push(...(Array.isArray(statement) ? statement : [statement]));
  };
  for (const resource of resources) {
    const properties = resource.properties;
    if (resource.definition.Type === 'AWS::IAM::Policy' && asList(properties.Roles as string[] | undefined).includes(roleName)) {
      add(properties.PolicyDocument);
    }
    if (resource.definition.Type === 'AWS::IAM::Role' && resource.provisioned.physicalId === roleName) {
      for (const policy of (properties.Policies ?? []) as Array<{ PolicyDocument?: unknown }>) add(policy.PolicyDocument);
    }
  }
  return statements;
}

/**
 * Whether the key policy of a KMS key of the stack lets the AWS service use
 * the key for the action; undefined when the key is not the stack's.
 */
function keyPolicyAllows(resources: Iterable<DeployedResource>, service: string, action: string, keyArn: string): boolean | undefined {
  const key = [...resources].find(r => r.definition.Type === 'AWS::KMS::Key' && r.provisioned.attributes.Arn === keyArn);
  if (!key) return undefined;
  const statements = asList((key.properties.KeyPolicy as { Statement?: Statement[] } | undefined)?.Statement as never).map(s => s as unknown as Statement)
    .filter(s => typeof s.Principal === 'object' && asList(s.Principal.Service).includes(service) && asList(s.Action).some(p => wildcardMatch(p, action, true)));
  return statements.some(s => s.Effect === 'Allow') && !statements.some(s => s.Effect === 'Deny');
}

/**
 * An authorizer for the simulator: it knows the roles of the stack's
 * resources, and judges their calls against the policies deployed right now;
 * and an AWS service's use of a KMS key of the stack against the key's policy.
 */
export function stackAuthorizer(resources: () => Iterable<DeployedResource>): (request: AuthorizationRequest) => boolean | undefined {
  return ({ caller, action, resource }) => {
    if (caller.service) return keyPolicyAllows(resources(), caller.service, action, resource);
    const role = [...resources()].find(r => r.definition.Type === 'AWS::IAM::Role' && accessKeyIdFor(String(r.provisioned.attributes.Arn)) === caller.accessKeyId);
    if (!role) return undefined;
    const statements = statementsOf(role.provisioned.physicalId, resources()).filter(s => matches(s, action, resource));
    return statements.some(s => s.Effect === 'Allow') && !statements.some(s => s.Effect === 'Deny');
  };
}
