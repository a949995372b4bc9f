// `npm run lint` runs shellcheck (a Debian package, not an npm one) on the deploy scripts.
// Without shellcheck installed it skips with a message, unless FAULTLINE_REQUIRE_SHELLCHECK is
// set, as .ci/run does after installing it.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

// -x follows `source`: the scripts under scripts/deploy/ are checked through these.
const SCRIPTS = ['deploy.sh', 'teardown.sh', 'test/deploy/fake/gcloud'];

const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
if (probe.error) {
  if (process.env.FAULTLINE_REQUIRE_SHELLCHECK) {
    process.stderr.write('lint-shell: shellcheck is required but not installed (apt-get install shellcheck)\n');
    process.exit(1);
  }
  process.stdout.write(`lint-shell: shellcheck is not installed, skipping ${SCRIPTS.join(', ')} (apt-get install shellcheck)\n`);
  process.exit(0);
}
const run = spawnSync('shellcheck', ['-x', ...SCRIPTS], { stdio: 'inherit' });
process.exit(run.status ?? 1);
