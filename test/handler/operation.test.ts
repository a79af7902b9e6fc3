import { ConflictException, ValidationException } from '@aws-sdk/client-opensearch';
import { OperationFailed, runStep, StepLimits } from '../../lambda/operation';

/** isComplete's step, with a deadline `deadlineIn` milliseconds after now. */
function limits(deadlineIn: number): StepLimits {
  const now = 1_700_000_000_000;
  return {
    now,
    deadline: () => now + deadlineIn,
    timedOut: () => 'Timed out after 60 seconds waiting for the packages of domain alpha-domain (F1 ASSOCIATING).',
    explain: error => new OperationFailed(`Domain alpha-domain: ${(error as Error).message}`),
  };
}

const busy = new ConflictException({ message: 'Another operation is in progress on domain alpha-domain', $metadata: { httpStatusCode: 409 } });
const refused = new ValidationException({ message: 'Package F1 is not a plugin', $metadata: { httpStatusCode: 400 } });

describe('runStep: one isComplete step', () => {
  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  test('hands on what the step found', async () => {
    await expect(runStep(limits(1000), async () => ({ IsComplete: true, Data: { PackageID: 'F1' } })))
      .resolves.toEqual({ IsComplete: true, Data: { PackageID: 'F1' } });
  });

  test('a transient error before the deadline: not yet, to be tried again', async () => {
    await expect(runStep(limits(1), async () => { throw busy; })).resolves.toEqual({ IsComplete: false });
  });

  test('a transient error at the deadline: timed out, with the last error', async () => {
    await expect(runStep(limits(0), async () => { throw busy; })).rejects.toThrow(new OperationFailed(
      'Timed out after 60 seconds waiting for the packages of domain alpha-domain (F1 ASSOCIATING). '
      + 'Last error: ConflictException: Another operation is in progress on domain alpha-domain'));
  });

  test('an error waiting will not cure: explained at once, even long before the deadline', async () => {
    const failure = runStep(limits(3_600_000), async () => { throw refused; });
    await expect(failure).rejects.toBeInstanceOf(OperationFailed);
    await expect(failure).rejects.toThrow('Domain alpha-domain: Package F1 is not a plugin');
  });

  test('a failure the step diagnosed: reported as it is', async () => {
    await expect(runStep(limits(0), async () => { throw new OperationFailed('Package F1 ASSOCIATION_FAILED'); }))
      .rejects.toThrow(new OperationFailed('Package F1 ASSOCIATION_FAILED'));
  });
});
