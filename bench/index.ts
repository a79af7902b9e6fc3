import * as os from 'os';
import { benchColdStart } from './cold-start';
import { benchCompletionLag } from './completion-lag';
import { benchSeveralPackages } from './several-packages';
import { benchSynthScale } from './synth-scale';
import { TIME_SCALE } from './time-scale';

/**
 * `npm run bench`: the four benchmarks in order, each printing ratios
 * measured side by side in this run. Run after `npm run bundle` (the script does).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const cpus = os.cpus();
  console.log('cdk-opensearch-packages benchmarks');
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${os.platform()} ${os.arch()}, Node ${process.version}`);
  console.log(`time scale (benchmarks 1 and 4): ${TIME_SCALE} (1 s of service or waiter time = ${(1000 * TIME_SCALE).toFixed(0)} ms; results in unscaled seconds)`);

  await benchCompletionLag();
  benchColdStart();
  benchSynthScale();
  await benchSeveralPackages();

  console.log(`\nTotal: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
