import { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { Baseline, baselineOf, nextStep, planChange, planRemoval, UNOBSERVED, unobservedSince } from '../../lambda/domain-packages-plan';
import { DesiredPackage } from '../../lambda/domain-packages-spec';

const at = new Date(1_700_000_000_000);
const later = new Date(1_700_000_060_000);

function onDomain(packageId: string, status: string, overrides: Partial<DomainPackageDetails> = {}): DomainPackageDetails {
  return { PackageID: packageId, DomainPackageStatus: status as DomainPackageDetails['DomainPackageStatus'], PackageVersion: 'v1', LastUpdated: at, ...overrides };
}

function wanted(packageId: string, overrides: Partial<DesiredPackage> = {}): DesiredPackage {
  return { key: packageId, ref: packageId, packageId, prerequisitePackageIds: [], retain: false, ...overrides };
}

const byId = (entries: DomainPackageDetails[]) => new Map(entries.map(e => [e.PackageID!, e]));
const available = (packageId: string, version = 'v1') => ({ PackageID: packageId, AvailablePackageVersion: version });

describe('planChange', () => {
  test('associates what is not ACTIVE, and what ACTIVE has other prerequisites or key-store access', () => {
    const current = [
      onDomain('F1', 'ACTIVE'),
      onDomain('F2', 'ASSOCIATION_FAILED'),
      onDomain('F3', 'ACTIVE', { PrerequisitePackageIDList: ['F9'] }),
      onDomain('F4', 'ACTIVE', { AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: 'arn:aws:iam::1:role/a' } } }),
      onDomain('F6', 'ACTIVE', { PrerequisitePackageIDList: ['F9', 'F8'] }),
    ];
    const set = [...['F1', 'F2', 'F3', 'F4', 'F5'].map(id => wanted(id)), wanted('F6', { prerequisitePackageIds: ['F8', 'F9'] })];
    expect(planChange(set, set, current, [])).toEqual({ associate: ['F2', 'F3', 'F4', 'F5'], dissociate: [] });
  });

  test('applies a newer version only for a package new to the set or whose version label changed', () => {
    const current = [onDomain('F1', 'ACTIVE'), onDomain('F2', 'ACTIVE'), onDomain('F3', 'ACTIVE')];
    const packages = ['F1', 'F2', 'F3'].map(id => available(id, 'v2'));
    const before = [wanted('F1', { versionLabel: 'v1' }), wanted('F2', { versionLabel: 'v1' })];
    const after = [wanted('F1', { versionLabel: 'v2' }), wanted('F2', { versionLabel: 'v1' }), wanted('F3')];
    expect(planChange(after, before, current, packages).associate).toEqual(['F1', 'F3']);
  });

  test('compares each package\'s label with its own earlier label, and its version with its own available version', () => {
    const current = ['F1', 'F2', 'F3', 'F4'].map(id => onDomain(id, 'ACTIVE'));
    const packages = [available('F1', 'v1'), available('F2', 'v2'), available('F3', 'v2')];
    const before = [wanted('F1', { versionLabel: 'a' }), wanted('F2', { versionLabel: 'b' }), wanted('F3', { versionLabel: 'x' }), wanted('F4', { versionLabel: 'm' })];
    const after = [wanted('F1', { versionLabel: 'a' }), wanted('F2', { versionLabel: 'c' }), wanted('F3', { versionLabel: 'x' }), wanted('F4', { versionLabel: 'n' })];
    // F3 has a newer version but its label did not change; F4's label changed but DescribePackages told no version.
    expect(planChange(after, before, current, packages).associate).toEqual(['F2']);
  });

  test('takes off what left the set, unless its removal policy keeps it or it is not there', () => {
    const current = [onDomain('F1', 'ACTIVE'), onDomain('F2', 'ACTIVE')];
    const before = [wanted('F1'), wanted('F2', { retain: true }), wanted('F3')];
    expect(planChange([], before, current, [])).toEqual({ associate: [], dissociate: ['F1'] });
  });

  test('a Delete takes off every package whose removal policy does not keep it', () => {
    const current = [onDomain('F1', 'ACTIVE'), onDomain('F2', 'ACTIVE')];
    expect(planRemoval([wanted('F1'), wanted('F2', { retain: true }), wanted('F3')], current)).toEqual({ associate: [], dissociate: ['F1'] });
  });
});

describe('nextStep', () => {
  const plan = { associate: ['F1'], dissociate: [] };

  test('calls AssociatePackages for a planned package that is still as it was at the start', () => {
    const start = [onDomain('F1', 'ACTIVE')];
    expect(nextStep(plan, baselineOf(start), [wanted('F1')], byId(start))).toEqual({ kind: 'associate', packageIds: ['F1'] });
  });

  test('is done once the planned package is ACTIVE as the outcome of this operation', () => {
    const baseline = baselineOf([onDomain('F1', 'ACTIVE')]);
    expect(nextStep(plan, baseline, [wanted('F1')], byId([onDomain('F1', 'ACTIVE', { LastUpdated: later, PackageVersion: 'v2' })]))).toEqual({ kind: 'done' });
  });

  test('waits while any package is ASSOCIATING or DISSOCIATING, even when another has failed', () => {
    const current = byId([onDomain('F1', 'ASSOCIATION_FAILED', { LastUpdated: later }), onDomain('F2', 'ASSOCIATING')]);
    expect(nextStep({ associate: ['F1', 'F2'], dissociate: [] }, baselineOf([]), [wanted('F1'), wanted('F2')], current).kind).toBe('wait');
  });

  test('reports a failure of this operation, but associates again a failure from before it', () => {
    const old = onDomain('F1', 'ASSOCIATION_FAILED', { ErrorDetails: { ErrorType: 'Old', ErrorMessage: 'from before' } });
    expect(nextStep(plan, baselineOf([old]), [wanted('F1')], byId([old]))).toEqual({ kind: 'associate', packageIds: ['F1'] });
    const fresh = { ...old, LastUpdated: later, ErrorDetails: { ErrorType: 'Invalid', ErrorMessage: 'bad file' } };
    expect(nextStep(plan, baselineOf([old]), [wanted('F1')], byId([fresh]))).toMatchObject({ kind: 'fail', reason: expect.stringContaining('package F1 ASSOCIATION_FAILED: Invalid: bad file.') });
  });

  test('an entry whose status alone, or whose version alone, changed since the start is this operation\'s outcome', () => {
    const failed = onDomain('F1', 'ASSOCIATION_FAILED', { ErrorDetails: { ErrorType: 'Invalid', ErrorMessage: 'bad file' } });
    expect(nextStep(plan, baselineOf([onDomain('F1', 'ASSOCIATING')]), [wanted('F1')], byId([failed])).kind).toBe('fail');
    expect(nextStep(plan, baselineOf([onDomain('F1', 'ACTIVE')]), [wanted('F1')], byId([onDomain('F1', 'ACTIVE', { PackageVersion: 'v2' })]))).toEqual({ kind: 'done' });
  });

  test('a failure names every failed package and the states of the operation\'s other packages', () => {
    const failed = (id: string, status = 'ASSOCIATION_FAILED') => onDomain(id, status, { LastUpdated: later, ErrorDetails: { ErrorType: 'Invalid', ErrorMessage: `bad ${id}` } });
    const set = [wanted('F1'), wanted('F2'), wanted('F3'), wanted('F4')];
    const current = byId([failed('F1'), failed('F4'), onDomain('F2', 'ACTIVE', { LastUpdated: later }), onDomain('F3', 'ACTIVE')]);
    expect(nextStep({ associate: ['F1', 'F2', 'F4'], dissociate: [] }, baselineOf([onDomain('F3', 'ACTIVE')]), set, current)).toEqual({
      kind: 'fail',
      reason: 'package F1 ASSOCIATION_FAILED: Invalid: bad F1; package F4 ASSOCIATION_FAILED: Invalid: bad F4. The other packages of this operation: F2 ACTIVE v1. '
        + 'Fix the package and deploy again; CloudFormation rolls this operation back.',
    });
    // Nothing planned: the failed package's state is the operation's, the others are those it wants.
    const unplanned = nextStep({ associate: [], dissociate: [] }, baselineOf([]), [wanted('F1'), wanted('F3')], byId([failed('F1'), onDomain('F3', 'ACTIVE')]));
    expect(unplanned).toMatchObject({ kind: 'fail', reason: expect.stringContaining('The other packages of this operation: F3 ACTIVE v1.') });
    // A dissociation that failed among the wanted packages is an association failure unless every failure is one.
    const mixed = nextStep(plan, baselineOf([]), [wanted('F1'), wanted('F2')], byId([failed('F1'), failed('F2', 'DISSOCIATION_FAILED')]));
    expect(mixed).toMatchObject({ kind: 'fail', reason: expect.stringContaining('package F2 ASSOCIATION_FAILED') });
    const dissociations = nextStep(plan, baselineOf([]), [wanted('F2')], byId([failed('F2', 'DISSOCIATION_FAILED')]));
    expect(dissociations).toMatchObject({ kind: 'fail', reason: expect.stringContaining('package F2 DISSOCIATION_FAILED') });
  });

  test('when the start could not be observed, an ACTIVE package counts as old and a failed one as new', () => {
    const unobserved: Baseline = UNOBSERVED;
    expect(nextStep(plan, unobserved, [wanted('F1')], byId([onDomain('F1', 'ACTIVE')]))).toEqual({ kind: 'associate', packageIds: ['F1'] });
    expect(nextStep(plan, unobserved, [wanted('F1')], byId([onDomain('F1', 'ASSOCIATION_FAILED')])).kind).toBe('fail');
  });

  test('when the start could not be observed, a failure from before the operation started is associated again, not reported', () => {
    const failed = onDomain('F1', 'ASSOCIATION_FAILED', { LastUpdated: at, ErrorDetails: { ErrorType: 'Injected', ErrorMessage: 'the failed update\'s' } });
    expect(nextStep(plan, unobservedSince(later.getTime()), [wanted('F1')], byId([failed]))).toEqual({ kind: 'associate', packageIds: ['F1'] });
    expect(nextStep(plan, unobservedSince(at.getTime()), [wanted('F1')], byId([failed])).kind).toBe('fail');
  });

  test('associates again a wanted package that disappeared during the operation', () => {
    expect(nextStep({ associate: [], dissociate: [] }, baselineOf([onDomain('F1', 'ACTIVE')]), [wanted('F1')], byId([]))).toEqual({ kind: 'associate', packageIds: ['F1'] });
  });

  test('associates again a package that became ACTIVE without the prerequisites asked for (say, by the update a rollback undoes)', () => {
    const current = byId([onDomain('F1', 'ACTIVE', { LastUpdated: later, PrerequisitePackageIDList: ['F9'] })]);
    expect(nextStep(plan, baselineOf([]), [wanted('F1')], current)).toEqual({ kind: 'associate', packageIds: ['F1'] });
  });

  test('dissociates only once every wanted package is ACTIVE, and is done when the removed ones are gone', () => {
    const removal = { associate: ['F1'], dissociate: ['F2'] };
    const start = [onDomain('F2', 'ACTIVE')];
    expect(nextStep(removal, baselineOf(start), [wanted('F1')], byId([...start, onDomain('F1', 'ASSOCIATING')])).kind).toBe('wait');
    const associated = onDomain('F1', 'ACTIVE', { LastUpdated: later });
    expect(nextStep(removal, baselineOf(start), [wanted('F1')], byId([...start, associated]))).toEqual({ kind: 'dissociate', packageIds: ['F2'] });
    expect(nextStep(removal, baselineOf(start), [wanted('F1')], byId([associated]))).toEqual({ kind: 'done' });
  });

  test('reports a DISSOCIATION_FAILED of this operation with the in-use advice, and dissociates again one from before', () => {
    const removal = { associate: [], dissociate: ['F2'] };
    const old = onDomain('F2', 'DISSOCIATION_FAILED');
    expect(nextStep(removal, baselineOf([old]), [], byId([old]))).toEqual({ kind: 'dissociate', packageIds: ['F2'] });
    expect(nextStep(removal, baselineOf([old]), [], byId([{ ...old, LastUpdated: later }])))
      .toMatchObject({ kind: 'fail', reason: expect.stringContaining('remove it from the index settings first') });
  });
});
