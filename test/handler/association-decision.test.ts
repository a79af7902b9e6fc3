import { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { Baseline, baselineOf, decide, judgePackage } from '../../lambda/association-decision';

const at = (seconds: number) => new Date(seconds * 1000);
const entry = (status: string, lastUpdated = 100, extra: Partial<DomainPackageDetails> = {}): DomainPackageDetails => ({
  PackageID: 'F1', DomainName: 'search', DomainPackageStatus: status as any, LastUpdated: at(lastUpdated), PackageVersion: 'v1', ...extra,
});
const NONE: Baseline = baselineOf(undefined);
const UNOBSERVED: Baseline = { observed: false };

describe('decide, when the goal is to associate', () => {
  test('associates when the domain has no entry for the package', () => {
    expect(decide('associate', undefined, NONE)).toEqual({ kind: 'associate' });
  });

  test('waits while the package is associating or dissociating', () => {
    expect(decide('associate', entry('ASSOCIATING', 101), NONE)).toEqual({ kind: 'wait', why: 'ASSOCIATING' });
    expect(decide('associate', entry('DISSOCIATING', 101), NONE)).toEqual({ kind: 'wait', why: 'DISSOCIATING' });
  });

  test('is done when the entry became ACTIVE during the operation', () => {
    expect(decide('associate', entry('ACTIVE', 101), NONE)).toEqual({ kind: 'done' });
  });

  test('associates again when the ACTIVE entry predates the operation (a new version or option must be applied)', () => {
    const before = entry('ACTIVE', 100);
    expect(decide('associate', before, baselineOf(before))).toEqual({ kind: 'associate' });
  });

  test('is done when an ACTIVE entry predates an operation that only has to keep it', () => {
    const before = entry('ACTIVE', 100);
    expect(decide('keep', before, baselineOf(before))).toEqual({ kind: 'done' });
  });

  test('is done when the entry turned ACTIVE at a new version within the same second', () => {
    const before = entry('ACTIVE', 100, { PackageVersion: 'v1' });
    expect(decide('associate', entry('ACTIVE', 100, { PackageVersion: 'v2' }), baselineOf(before))).toEqual({ kind: 'done' });
  });

  test('fails with the service\'s error details when the association failed during the operation', () => {
    const failed = entry('ASSOCIATION_FAILED', 101, { ErrorDetails: { ErrorType: 'ValidationFailed', ErrorMessage: 'Invalid synonym rule on line 3' } });
    expect(decide('associate', failed, NONE)).toEqual({
      kind: 'fail',
      reason: 'ASSOCIATION_FAILED: ValidationFailed: Invalid synonym rule on line 3',
    });
  });

  test('retries an association that had already failed before the operation started', () => {
    const failed = entry('ASSOCIATION_FAILED', 90);
    expect(decide('associate', failed, baselineOf(failed))).toEqual({ kind: 'associate' });
  });

  test('when the start was not observed, re-associates an ACTIVE entry and reports a failed one', () => {
    expect(decide('associate', entry('ACTIVE'), UNOBSERVED)).toEqual({ kind: 'associate' });
    expect(decide('associate', entry('ASSOCIATION_FAILED'), UNOBSERVED).kind).toBe('fail');
  });
});

describe('decide, when the goal is to dissociate', () => {
  test('is done when the package is not on the domain', () => {
    expect(decide('dissociate', undefined, NONE)).toEqual({ kind: 'done' });
  });

  test('dissociates an ACTIVE or failed association', () => {
    expect(decide('dissociate', entry('ACTIVE'), NONE)).toEqual({ kind: 'dissociate' });
    expect(decide('dissociate', entry('ASSOCIATION_FAILED'), NONE)).toEqual({ kind: 'dissociate' });
  });

  test('waits for an association in flight to settle before dissociating it', () => {
    expect(decide('dissociate', entry('ASSOCIATING'), NONE)).toEqual({ kind: 'wait', why: 'ASSOCIATING' });
    expect(decide('dissociate', entry('DISSOCIATING'), NONE)).toEqual({ kind: 'wait', why: 'DISSOCIATING' });
  });

  test('fails with the service\'s error details and what to do when the dissociation failed', () => {
    const failed = entry('DISSOCIATION_FAILED', 101, { ErrorDetails: { ErrorType: 'DissociationFailed', ErrorMessage: 'Package is in use by index products' } });
    const decision = decide('dissociate', failed, baselineOf(entry('ACTIVE', 100)));
    expect(decision.kind).toBe('fail');
    expect(decision.kind === 'fail' && decision.reason).toMatch(/DISSOCIATION_FAILED: DissociationFailed: Package is in use by index products\. If an index still uses/);
  });

  test('retries a dissociation that had already failed before the operation started', () => {
    const failed = entry('DISSOCIATION_FAILED', 90);
    expect(decide('dissociate', failed, baselineOf(failed))).toEqual({ kind: 'dissociate' });
  });
});

describe('judgePackage', () => {
  test('is ready to associate an AVAILABLE package', () => {
    expect(judgePackage({ PackageID: 'F1', PackageStatus: 'AVAILABLE' })).toEqual({ kind: 'associate' });
  });

  test('waits while the package is copied or validated', () => {
    expect(judgePackage({ PackageID: 'F1', PackageStatus: 'COPYING' }).kind).toBe('wait');
    expect(judgePackage({ PackageID: 'F1', PackageStatus: 'VALIDATING' }).kind).toBe('wait');
  });

  test('fails with the service\'s details when the package failed validation', () => {
    expect(judgePackage({
      PackageID: 'F1', PackageStatus: 'VALIDATION_FAILED', ErrorDetails: { ErrorType: 'InvalidFile', ErrorMessage: 'Not a text file' },
    })).toEqual({ kind: 'fail', reason: 'package is VALIDATION_FAILED and cannot be associated: InvalidFile: Not a text file' });
  });

  test('fails when no package has the ID', () => {
    expect(judgePackage(undefined)).toEqual({ kind: 'fail', reason: expect.stringMatching(/package not found/) });
  });
});
