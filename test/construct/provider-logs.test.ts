// The log group of a stack's provider: its retention and removal policy, and what writes to it.
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newStack } from './test-stack';
import { DomainPackageAssociation, ProviderLogs } from '../../lib';

/** The stack's log groups, and the log group each function writes to. */
function logging(template: Template) {
  const groups = template.findResources('AWS::Logs::LogGroup');
  const functions = Object.values(template.findResources('AWS::Lambda::Function'))
    .map((fn: any) => [fn.Properties.Handler, fn.Properties.LoggingConfig?.LogGroup]);
  return { groups, functions };
}

describe('the provider\'s logs', () => {
  test('by default, one log group for all five functions keeps events a month and stays after the stack', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const template = Template.fromStack(stack);
    const { groups, functions } = logging(template);
    const [[id, group]] = Object.entries(groups);
    expect(group).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(functions.map(([handler]) => handler).sort())
      .toEqual(['framework.isComplete', 'framework.onEvent', 'framework.onTimeout', 'index.isComplete', 'index.onEvent']);
    expect(functions.map(([, logGroup]) => logGroup)).toEqual(Array(5).fill({ Ref: id }));
    // The Provider framework's waiter state machine logs nothing.
    expect(Object.values(template.findResources('AWS::StepFunctions::StateMachine')).map((machine: any) => machine.Properties.LoggingConfiguration)).toEqual([undefined]);
  });

  test('ProviderLogs.configure sets the retention and removal policy of the stack\'s log group', () => {
    const { stack, domain } = newStack();
    ProviderLogs.configure(stack, { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const [group] = Object.values(logging(Template.fromStack(stack)).groups);
    expect(group).toMatchObject({ Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('a setting left out keeps its default, and configuring again with the same settings is harmless', () => {
    const { stack, domain } = newStack();
    ProviderLogs.configure(domain, { removalPolicy: RemovalPolicy.DESTROY });
    ProviderLogs.configure(stack, { removalPolicy: RemovalPolicy.DESTROY, retention: logs.RetentionDays.ONE_MONTH });
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    const [group] = Object.values(logging(Template.fromStack(stack)).groups);
    expect(group).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('configuring after the provider exists, or with other settings, fails', () => {
    const { stack, domain } = newStack();
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    expect(() => ProviderLogs.configure(stack, { retention: logs.RetentionDays.ONE_WEEK })).toThrow(
      'ProviderLogs.configure: stack Test already has its provider (Test/OpenSearchPackagesProvider), created with the default log settings '
      + 'by its first CustomPackage or DomainPackageAssociation: call ProviderLogs.configure before those.');
    const { stack: other } = newStack('Other');
    ProviderLogs.configure(other, { retention: logs.RetentionDays.ONE_WEEK });
    expect(() => ProviderLogs.configure(other, { retention: logs.RetentionDays.ONE_DAY })).toThrow(
      'ProviderLogs.configure: the provider logs of stack Other are already configured (retention 7 days, removalPolicy retain): configure them once per stack.');
  });
});
